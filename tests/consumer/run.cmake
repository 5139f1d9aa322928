# ctest driver: install kiln to a scratch prefix, build the consumer there, run it.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${KILN_BUILD} --prefix ${WORK}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_SRC} -B ${WORK}/build -G Ninja
                        -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_CXX_FLAGS=${CXX_FLAGS}
                        -DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS} -DKILN_DISTRIBUTED=${DISTRIBUTED}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/build RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "building the consumer failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${WORK}/build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc OR NOT out MATCHES "y=28 grad3=12")
  message(FATAL_ERROR "consumer printed '${out}' (exit ${rc}), expected y=28 grad3=12")
endif()
message(STATUS "consumer: ${out}")
if(DISTRIBUTED)
  execute_process(COMMAND ${MPIRUN} 2 ${WORK}/build/consumer_distributed RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err TIMEOUT 120)
  if(rc OR NOT out MATCHES "world=2 sum=3")
    message(FATAL_ERROR "consumer_distributed printed '${out}' (exit ${rc}), expected world=2 sum=3\n${err}")
  endif()
  message(STATUS "consumer_distributed: ${out}")
endif()
