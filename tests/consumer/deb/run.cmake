# ctest driver: `cpack -G DEB` makes a package whose contents are a complete
# install (library, headers, CMake and pkg-config files) and whose Depends
# name the shared libraries kiln links; a consumer builds against the
# package's tree extracted to a scratch directory.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND cpack -G DEB --config ${KILN_BUILD}/CPackConfig.cmake -B ${WORK}/out
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "cpack -G DEB failed:\n${out}\n${err}")
endif()
file(GLOB deb ${WORK}/out/*.deb)
execute_process(COMMAND dpkg-deb --contents ${deb} OUTPUT_VARIABLE contents RESULT_VARIABLE rc)
foreach(file usr/include/kiln/kiln.h usr/lib/libkiln.so.0 usr/lib/cmake/kiln/kilnConfig.cmake usr/lib/pkgconfig/kiln.pc)
  if(rc OR NOT contents MATCHES "\\./${file}")
    message(FATAL_ERROR "${deb} lacks ${file}:\n${contents}")
  endif()
endforeach()
execute_process(COMMAND dpkg-deb --field ${deb} Depends OUTPUT_VARIABLE depends)
if(NOT depends MATCHES "libopenblas" OR NOT depends MATCHES "libgomp")
  message(FATAL_ERROR "${deb}'s Depends misses kiln's shared libraries: '${depends}'")
endif()
execute_process(COMMAND dpkg-deb --extract ${deb} ${WORK}/root RESULT_VARIABLE rc)
include(${CMAKE_CURRENT_LIST_DIR}/../expect.cmake)
build_consumer(${CMAKE_CURRENT_LIST_DIR}/.. ${WORK}/build -DCMAKE_PREFIX_PATH=${WORK}/root/usr)
expect_consumer_output(${WORK}/build/consumer ENV LD_LIBRARY_PATH=${WORK}/root/usr/lib)
