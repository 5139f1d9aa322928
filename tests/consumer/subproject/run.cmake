# ctest driver: configure and build the FetchContent consumer, run it.
file(REMOVE_RECURSE ${WORK})
include(${CMAKE_CURRENT_LIST_DIR}/../expect.cmake)
build_consumer(${CMAKE_CURRENT_LIST_DIR} ${WORK} -DKILN_SOURCE=${KILN_SOURCE} -DCMAKE_BUILD_TYPE=Release
               -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
expect_consumer_output(${WORK}/consumer)
