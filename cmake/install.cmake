# Installation, the CMake package, the pkg-config file and the Debian package.
#   cmake --install build --prefix /usr/local      bin/mcalc, include/mcalc/, lib/libmcalc_*.a,
#                                                  lib/cmake/mcalc/, lib/pkgconfig/mcalc.pc
#   (cd build && cpack -G DEB)                     mcalc_<version>_<arch>.deb with the same files
include(CMakePackageConfigHelpers)

# Installing (and cpack, which installs first) takes the tree as built: it does not
# build the whole tree, tests included, again first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(MCALC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mcalc)

install(TARGETS mcalc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${MCALC_MODULES} mcalc_all EXPORT mcalcTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/mcalc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING
        PATTERN "*.hpp" PATTERN "*.def")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/include/mcalc/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mcalc)
install(EXPORT mcalcTargets NAMESPACE mcalc:: DESTINATION ${MCALC_CMAKE_DIR})

configure_package_config_file(cmake/mcalcConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/mcalcConfig.cmake
                              INSTALL_DESTINATION ${MCALC_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/mcalcConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/mcalcConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/mcalcConfigVersion.cmake
        DESTINATION ${MCALC_CMAKE_DIR})

# pkg-config: the stages in link order (each after the ones that use it).
set(MCALC_PC_LIBS "")
foreach(m driver emit check derive train expand diff simplify eval print sema parser core)
  string(APPEND MCALC_PC_LIBS " -lmcalc_${m}")
endforeach()
# The prefix relative to the .pc file, so an installed tree can be moved (or unpacked anywhere).
file(RELATIVE_PATH MCALC_PC_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" MCALC_PC_PREFIX "${MCALC_PC_PREFIX}")
configure_file(cmake/mcalc.pc.in ${CMAKE_CURRENT_BINARY_DIR}/mcalc.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/mcalc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES LICENSE README.md CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian package (cpack -G DEB). Run-time dependencies come from dpkg-shlibdeps;
# the headers need the -dev packages of the libraries they include.
set(CPACK_PACKAGE_NAME mcalc)
set(CPACK_PACKAGE_VENDOR "mcalc")
set(CPACK_PACKAGE_CONTACT "mcalc maintainers <mcalc@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION math)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libginac-dev, libeigen3-dev, libboost-dev, nlohmann-json3-dev, zlib1g-dev, pkg-config")
include(CPack)
