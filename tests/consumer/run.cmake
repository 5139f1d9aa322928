# ctest driver: install kiln to a scratch prefix, then build and run the same
# program against it twice, through find_package and through pkg-config.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${KILN_BUILD} --prefix ${WORK}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

build_consumer(${CONSUMER_SRC} ${WORK}/build -DCMAKE_PREFIX_PATH=${WORK}/prefix -DKILN_DISTRIBUTED=${DISTRIBUTED})
expect_consumer_output(${WORK}/build/consumer)
if(DISTRIBUTED)
  # Under ASan, LeakSanitizer needs the full unwinder to attribute Open MPI's allocations (tests/lsan.supp).
  set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:fast_unwind_on_malloc=0")
  execute_process(COMMAND ${MPIRUN} 2 ${WORK}/build/consumer_distributed RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err TIMEOUT 120)
  if(rc OR NOT out MATCHES "world=2 sum=3")
    message(FATAL_ERROR "consumer_distributed printed '${out}' (exit ${rc}), expected world=2 sum=3\n${err}")
  endif()
  message(STATUS "consumer_distributed: ${out}")
endif()

# pkg-config: the flags it prints are all a plain compiler command needs.
file(GLOB_RECURSE pc ${WORK}/prefix/*/kiln.pc)
get_filename_component(pc_dir "${pc}" DIRECTORY)
execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} pkg-config --cflags --libs kiln
                RESULT_VARIABLE rc OUTPUT_VARIABLE flags ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(rc)
  message(FATAL_ERROR "pkg-config --cflags --libs kiln failed: ${err}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra UNIX_COMMAND "${CXX_FLAGS}")
execute_process(COMMAND c++ ${CONSUMER_SRC}/main.cpp -o ${WORK}/pc-consumer ${flags} ${extra}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "compiling with pkg-config's flags (${flags}) failed:\n${out}\n${err}")
endif()
get_filename_component(lib_dir "${pc_dir}" DIRECTORY)
expect_consumer_output(${WORK}/pc-consumer ENV LD_LIBRARY_PATH=${lib_dir})
