# Imported targets for the libraries without a CMake package of their own (Debian libglpk-dev,
# libpolyclipping-dev). Used by the build and by the installed walkshedConfig.cmake.
if(NOT TARGET walkshed::glpk)
  find_library(WALKSHED_GLPK_LIBRARY glpk REQUIRED)
  find_path(WALKSHED_GLPK_INCLUDE_DIR glpk.h REQUIRED)
  add_library(walkshed::glpk UNKNOWN IMPORTED)
  set_target_properties(walkshed::glpk PROPERTIES IMPORTED_LOCATION "${WALKSHED_GLPK_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${WALKSHED_GLPK_INCLUDE_DIR}")
endif()
if(NOT TARGET walkshed::polyclipping)
  find_library(WALKSHED_CLIPPER_LIBRARY polyclipping REQUIRED)
  find_path(WALKSHED_CLIPPER_INCLUDE_DIR polyclipping/clipper.hpp REQUIRED)
  add_library(walkshed::polyclipping UNKNOWN IMPORTED)
  set_target_properties(walkshed::polyclipping PROPERTIES IMPORTED_LOCATION "${WALKSHED_CLIPPER_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${WALKSHED_CLIPPER_INCLUDE_DIR}")
endif()
