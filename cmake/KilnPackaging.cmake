# Two more ways to consume an installed kiln besides find_package: a
# pkg-config file (`pkg-config --cflags --libs kiln`) and a Debian package
# (`cpack -G DEB` in the build directory).

# The .pc file lists every module's library, so it is written once the whole
# project is configured (modules are added after this file is included).
function(kiln_write_pkg_config)
  get_property(modules GLOBAL PROPERTY KILN_MODULES)
  set(libs "-lkiln")
  foreach(m IN LISTS modules)
    string(APPEND libs " -lkiln_${m}")
  endforeach()
  # Relative to the .pc file, so an extracted or relocated tree works too.
  file(RELATIVE_PATH to_prefix /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
  set(pc "${CMAKE_CURRENT_BINARY_DIR}/kiln.pc")
  file(WRITE ${pc} "prefix=\${pcfiledir}/${to_prefix}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}

Name: kiln
Description: C++20 tensors with automatic differentiation, distributions and Gaussian processes
Version: ${PROJECT_VERSION}
Cflags: -std=c++20 -I\${includedir}
Libs: -L\${libdir} ${libs}
")
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL kiln_write_pkg_config)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kiln.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kiln)
set(CPACK_PACKAGE_VENDOR kiln)
set(CPACK_PACKAGE_CONTACT "kiln developers <kiln@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "C++20 tensor library with automatic differentiation")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends: computed from the libraries kiln links (OpenBLAS, LAPACKE, libgomp, cairo, zlib).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
include(CPack)
