# Shared by the consumer tests: configure and build a consumer project, run a
# consumer program and check what it prints.
# build_consumer(<source dir> <build dir> [TARGET <target>] [<cmake -D options>...])
function(build_consumer src build)
  cmake_parse_arguments(B "" "TARGET" "" ${ARGN})
  set(target_args)
  if(B_TARGET)
    set(target_args --target ${B_TARGET})
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${src} -B ${build} -G Ninja
                          -DCMAKE_CXX_FLAGS=${CXX_FLAGS} -DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS} ${B_UNPARSED_ARGUMENTS}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "configuring the consumer in ${src} failed:\n${out}\n${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} ${target_args}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "building the consumer in ${src} failed:\n${out}\n${err}")
  endif()
endfunction()

# expect_consumer_output(<program> [ENV <var=value>...])
function(expect_consumer_output program)
  cmake_parse_arguments(E "" "" "ENV" ${ARGN})
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${E_ENV} ${program} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(rc OR NOT out MATCHES "y=28 grad3=12")
    message(FATAL_ERROR "${program} printed '${out}' (exit ${rc}), expected y=28 grad3=12")
  endif()
  message(STATUS "${program}: ${out}")
endfunction()
