# kiln_add_module(<name> [DEPENDS <modules>...] [LIBS <private libraries>...])
#
# A module (io, plot, nn, distributions, gp, distributed) is its own shared
# library, libkiln_<name>.so, target kiln::<name>, built from src/<name>/. Its
# sources see the public headers (include/kiln/) and their own folder only,
# as a user's program would: the core's internals (src/core, src/ops, ...)
# are not on its include path, so the compiler keeps modules off them.
function(kiln_add_module name)
  cmake_parse_arguments(M "" "" "DEPENDS;LIBS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  add_library(kiln_${name} SHARED ${sources})
  add_library(kiln::${name} ALIAS kiln_${name})
  target_include_directories(kiln_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
  list(TRANSFORM M_DEPENDS PREPEND kiln_)
  target_link_libraries(kiln_${name} PUBLIC kiln_core ${M_DEPENDS} PRIVATE ${M_LIBS})
  target_compile_options(kiln_${name} PRIVATE ${KILN_WARNINGS} $<$<CONFIG:Release>:-O3> -march=${KILN_ARCH})
  set_target_properties(kiln_${name} PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION 0
                                                EXPORT_NAME ${name})
  install(TARGETS kiln_${name} EXPORT kilnTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  target_link_libraries(kiln INTERFACE kiln_${name})
  set_property(GLOBAL APPEND PROPERTY KILN_MODULES ${name})
endfunction()
