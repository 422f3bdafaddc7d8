# The release image's root, for Dockerfile.release: ROOTFS/sbin/initd (a copy of
# BINARY) and the peers' names as links to it, where images and podman look for them.
#   cmake -DBINARY=build/initd -DROOTFS=build/release-rootfs -P cmake/release-image.cmake
# (the `release_rootfs` target runs it). Under those names initd is tini, dumb-init,
# catatonit and Docker's init (README, "Coming from tini, dumb-init or catatonit").
file(REMOVE_RECURSE ${ROOTFS})
file(MAKE_DIRECTORY ${ROOTFS}/sbin ${ROOTFS}/usr/bin)
file(COPY ${BINARY} DESTINATION ${ROOTFS}/sbin
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# Relative links: they hold in the image and in any directory the root is unpacked to.
foreach(name tini dumb-init docker-init)
  file(CREATE_LINK initd ${ROOTFS}/sbin/${name} SYMBOLIC)
endforeach()
file(CREATE_LINK ../../sbin/initd ${ROOTFS}/usr/bin/catatonit SYMBOLIC)
