# Install rules and release packages.
#   cmake --install BUILD [--prefix P]: P/sbin/initd, P/share/man/man1/initd.1, the license
#     and README in P/share/doc/initd, and P/libexec/initd/docker-init (a link to initd,
#     for `dockerd --init-path`: Docker's info parses the version only under that name).
#   cpack (in BUILD): initd-VERSION-linux-ARCH.tar.gz and initd_VERSION_ARCH.deb, each
#     with a .sha256 beside it (sha256sum's format: `sha256sum -c` checks it).
# ARCH is the Debian name of the binary's architecture: the host's, or arm64 when
# INITD_TOOLCHAIN names an aarch64 toolchain; -DINITD_PACKAGE_ARCH=... overrides it.
if(INITD_SANITIZE)
  return()  # a dynamic ASan build of initd: never installed, never packaged
endif()
include(GNUInstallDirs)

# `cpack` and `make install` package what was built and build nothing themselves (the
# release command builds first): so packaging never waits on, or fails in, the tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(_arch ${CMAKE_HOST_SYSTEM_PROCESSOR})
if(INITD_TOOLCHAIN MATCHES "aarch64|arm64")
  set(_arch aarch64)
endif()
if(_arch MATCHES "^(x86_64|AMD64|amd64)$")
  set(_arch amd64)
elseif(_arch MATCHES "^(aarch64|arm64|ARM64)$")
  set(_arch arm64)
endif()
set(INITD_PACKAGE_ARCH ${_arch} CACHE STRING "Debian architecture name of the packaged initd")

install(PROGRAMS ${CMAKE_BINARY_DIR}/initd DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/man/initd.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Relative, so it holds wherever the tree is unpacked; installed as a link, not a copy.
file(CREATE_LINK ../../${CMAKE_INSTALL_SBINDIR}/initd ${CMAKE_BINARY_DIR}/docker-init SYMBOLIC)
install(FILES ${CMAKE_BINARY_DIR}/docker-init DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/initd)

# The root of the release image (Dockerfile.release): build/release-rootfs.
add_custom_target(release_rootfs
  COMMAND ${CMAKE_COMMAND} -DBINARY=${CMAKE_BINARY_DIR}/initd -DROOTFS=${CMAKE_BINARY_DIR}/release-rootfs
          -P ${CMAKE_SOURCE_DIR}/cmake/release-image.cmake
  DEPENDS initd_static VERBATIM)

set(CPACK_PACKAGE_NAME initd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "A static, libc-only PID 1 for containers: reaps zombies, forwards (and rewrites) signals, exits with the application's status.")
set(CPACK_PACKAGE_CONTACT "initd developers <initd@localhost>")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_FILE_NAME initd-${PROJECT_VERSION}-linux-${INITD_PACKAGE_ARCH})
set(CPACK_GENERATOR TGZ DEB)
set(CPACK_PACKAGE_CHECKSUM SHA256)
# The binary is stripped already, and the host's strip cannot read an arm64 one.
set(CPACK_STRIP_FILES OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${INITD_PACKAGE_ARCH})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Static: it depends on nothing.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "")
include(CPack)
