# Shared by the consumer tests: configure and build a consumer project, run a
# consumer program and check what it prints.
function(build_consumer src build)
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${src} -B ${build} -G Ninja
                          -DCMAKE_CXX_FLAGS=${CXX_FLAGS} -DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS} ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "configuring the consumer in ${src} failed:\n${out}\n${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build}
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
