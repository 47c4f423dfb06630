# Debian package of immutalint (cpack -G DEB), with a man page generated from the CLI's --help.
# Included at the end of the top-level CMakeLists.txt, after the immutalint target is defined.
# The guard makes a second include harmless (targets and include(CPack) must happen only once).
include_guard(GLOBAL)
include(GNUInstallDirs)

# The package installs under /usr (CPack's default for DEB, stated here because the man page
# names the documentation directory).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(IMMUTALINT_PACKAGE_SUMMARY "Kubernetes manifest linter for immutable node operating systems")

# Man page: generated from the built binary's --help, so it cannot drift from the options.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(IMMUTALINT_MANPAGE ${CMAKE_BINARY_DIR}/immutalint.1)
add_custom_command(
  OUTPUT ${IMMUTALINT_MANPAGE} ${IMMUTALINT_MANPAGE}.gz
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/make-manpage.py
          --binary $<TARGET_FILE:immutalint>
          --summary "${IMMUTALINT_PACKAGE_SUMMARY}"
          --docdir ${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}
          --output ${IMMUTALINT_MANPAGE}
  # Naming the target re-runs the command whenever the binary is relinked.
  DEPENDS immutalint ${CMAKE_SOURCE_DIR}/scripts/make-manpage.py
  COMMENT "Generating the immutalint(1) man page from --help"
  VERBATIM)
add_custom_target(immutalint_manpage ALL DEPENDS ${IMMUTALINT_MANPAGE}.gz)
if(TARGET immutalint_tests)
  # The package test runs cpack, which installs the man page.
  add_dependencies(immutalint_tests immutalint_manpage)
endif()

install(FILES ${IMMUTALINT_MANPAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# docs/ keeps its name under the documentation directory so that README.md's links still resolve.
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME immutalint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY ${IMMUTALINT_PACKAGE_SUMMARY})
# Debian wants the extended description in lines shorter than 80 columns; CPack indents them.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "immutalint reads Kubernetes manifests and reports, with file, line and column,"
  "every place a workload is likely to break when its nodes move to an immutable,"
  "image-based node OS (Flatcar, Azure Linux OS Guard, Talos, Bottlerocket,"
  "Fedora CoreOS), where /usr is read-only, there is no package manager and"
  "SELinux is the MAC: hostPath volumes, privileged containers, host namespaces"
  "and DaemonSets. It reads YAML and JSON, multi-document streams,"
  "Helm-rendered output and kubectl dumps.")
# The Maintainer field needs a name and address that the project does not publish; set it when
# configuring a package for distribution, e.g. -DCPACK_DEBIAN_PACKAGE_MAINTAINER="Name <mail>".
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "immutalint maintainers" CACHE STRING
    "Maintainer field of the Debian package (Name <address>)")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# CPACK_DEBIAN_PACKAGE_ARCHITECTURE is left unset: CPack then asks dpkg --print-architecture.
# immutalint_<version>_<arch>.deb, as Debian names packages.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Packaged binaries are stripped, as Debian ships them; the build tree keeps the debug information.
set(CPACK_STRIP_FILES ON)

# Runtime dependencies are listed here rather than computed by dpkg-shlibdeps, so packaging needs
# no dpkg-dev. They are the Debian 12 packages of the libraries the binary links (objdump -p:
# NEEDED), with the minimum versions dpkg-shlibdeps derives. The package test checks that every
# NEEDED library's package is listed here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libfmt9 (>= 9.1.0+ds1), libgcc-s1 (>= 3.0), libre2-9, libstdc++6 (>= 12), libyaml-0-2")
if(IMMUTALINT_SANITIZE)
  # Sanitized builds also need GCC 12's sanitizer runtimes.
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libasan8, libubsan1 (>= 8)")
endif()

include(CPack)
