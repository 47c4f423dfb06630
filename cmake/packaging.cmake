# Debian package of immutalint (cpack -G DEB), with a man page generated from the CLI's --help, a
# copyright file, a Debian changelog and hardened binaries; `lintian` reports no error on it
# (tests/package_test.cpp). Included at the end of the top-level CMakeLists.txt, after the
# immutalint target is defined. The guard makes a second include harmless (targets and
# include(CPack) must happen only once).
include_guard(GLOBAL)
include(GNUInstallDirs)

# The package's maintainer, "Name <address>": the one place it is stated. It becomes the control
# file's Maintainer field, the changelog's trailer and the copyright file's Upstream-Contact.
set(IMMUTALINT_PACKAGE_MAINTAINER "immutalint maintainers <immutalint@lists.invalid>" CACHE STRING
    "Maintainer of the Debian package (Name <address>)")
if(NOT IMMUTALINT_PACKAGE_MAINTAINER MATCHES "^[^<>]*[^<> ] <[^<>@ ]+@[^<> ]+>$")
  message(FATAL_ERROR "IMMUTALINT_PACKAGE_MAINTAINER must read \"Name <address>\", not \"${IMMUTALINT_PACKAGE_MAINTAINER}\"")
endif()
# Build trees configured before IMMUTALINT_PACKAGE_MAINTAINER cached a name without an address here.
unset(CPACK_DEBIAN_PACKAGE_MAINTAINER CACHE)

# Hardening, as Debian builds its packages (dpkg-buildflags, hardening=+all): position-independent
# executable, full RELRO (-z relro -z now: relocations resolved at start and then read-only), stack
# protector, and _FORTIFY_SOURCE=2 where the compiler optimizes (it needs -O1 or more, and it is
# left out of sanitizer and fuzzer builds, where AddressSanitizer does that checking). Set on the targets that
# make the installed binary only, not in CMAKE_CXX_FLAGS: the test binary and bench/ keep their
# flags.
option(IMMUTALINT_HARDENING "Build the installed immutalint with Debian's hardening flags" ON)
if(IMMUTALINT_HARDENING)
  include(CheckPIESupported)
  check_pie_supported(LANGUAGES CXX)
  foreach(hardened immutalint immutalint_core)
    set_property(TARGET ${hardened} PROPERTY POSITION_INDEPENDENT_CODE ON)
    target_compile_options(${hardened} PRIVATE -fstack-protector-strong)
    if(NOT IMMUTALINT_SANITIZE AND NOT IMMUTALINT_FUZZ)
      # -U first: a compiler that already defines _FORTIFY_SOURCE would warn about the redefinition.
      target_compile_options(${hardened} PRIVATE
        "$<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
    endif()
  endforeach()
  target_link_options(immutalint PRIVATE LINKER:-z,relro LINKER:-z,now)
endif()

# The release binary (scripts/build-release.sh, the Dockerfile, the GitHub Action): the objects of
# immutalint linked again with libstdc++, libgcc, libyaml, RE2 and fmt as static libraries, so that
# it needs nothing but the C library and runs on any x86_64 Linux with glibc 2.35 or later. A
# target of the same tree rather than a second build, so that the test that checks it
# (tests/release_test.cpp) costs one link; not part of `all`. Defined when every static archive
# is found; otherwise the reason is printed and the release test says it is skipped.
set(IMMUTALINT_STATIC_MISSING "")
if(IMMUTALINT_FUZZ)
  set(IMMUTALINT_STATIC_MISSING "fuzzing builds link libFuzzer")
else()
  # What pkg-config --static lists (RE2 from 2023 on adds abseil), without the C library's parts.
  foreach(library IN LISTS LIBYAML_STATIC_LIBRARIES RE2_STATIC_LIBRARIES)
    if(library MATCHES "^(c|m|dl|rt|pthread)$" OR DEFINED IMMUTALINT_STATIC_${library}_SEEN)
      continue()
    endif()
    set(IMMUTALINT_STATIC_${library}_SEEN TRUE)
    find_library(IMMUTALINT_STATIC_LIB_${library} NAMES lib${library}.a
                 HINTS ${LIBYAML_STATIC_LIBRARY_DIRS} ${RE2_STATIC_LIBRARY_DIRS})
    if(IMMUTALINT_STATIC_LIB_${library})
      list(APPEND IMMUTALINT_STATIC_ARCHIVES ${IMMUTALINT_STATIC_LIB_${library}})
    else()
      string(APPEND IMMUTALINT_STATIC_MISSING " lib${library}.a")
    endif()
  endforeach()
endif()
if(IMMUTALINT_STATIC_MISSING)
  message(STATUS "No static release binary (immutalint_static): missing${IMMUTALINT_STATIC_MISSING}")
else()
  add_executable(immutalint_static EXCLUDE_FROM_ALL $<TARGET_OBJECTS:immutalint>)
  set_target_properties(immutalint_static PROPERTIES OUTPUT_NAME immutalint-static LINKER_LANGUAGE CXX)
  # Built first: its objects are the ones linked here, and its post-build step checks the catalogue.
  add_dependencies(immutalint_static immutalint immutalint_core)
  # Objects only the static binary has: arc4random for glibc 2.35 (see packaging/arc4random.cpp),
  # and fmt's compiled part where there is no libfmt.a (Debian's libfmt-dev has none).
  add_library(immutalint_static_support OBJECT EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/packaging/arc4random.cpp)
  find_library(IMMUTALINT_STATIC_FMT NAMES libfmt.a)
  if(NOT IMMUTALINT_STATIC_FMT)
    target_sources(immutalint_static_support PRIVATE ${CMAKE_SOURCE_DIR}/packaging/fmt-compiled.cpp)
    # fmt's headers without fmt::fmt's FMT_SHARED (or fmt-header-only's FMT_HEADER_ONLY).
    target_include_directories(immutalint_static_support PRIVATE
                               $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)
    set(IMMUTALINT_STATIC_FMT "")
  endif()
  set_target_properties(immutalint_static_support PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(immutalint_static_support PRIVATE immutalint_settings)
  target_sources(immutalint_static PRIVATE $<TARGET_OBJECTS:immutalint_static_support>)
  target_link_libraries(immutalint_static PRIVATE $<TARGET_FILE:immutalint_core> ${IMMUTALINT_STATIC_FMT}
                        ${IMMUTALINT_STATIC_ARCHIVES} immutalint_settings Threads::Threads)
  target_link_options(immutalint_static PRIVATE -static-libstdc++ -static-libgcc)
  if(IMMUTALINT_SANITIZE)
    # The sanitizer runtimes too: a sanitized tree's release binary still needs only the C library.
    target_link_options(immutalint_static PRIVATE -static-libasan -static-libubsan)
  endif()
  if(IMMUTALINT_HARDENING)
    set_property(TARGET immutalint_static PROPERTY POSITION_INDEPENDENT_CODE ON)
    target_link_options(immutalint_static PRIVATE LINKER:-z,relro LINKER:-z,now)
  endif()
  if(TARGET immutalint_tests)
    # tests/release_test.cpp packs it: built with the tests, so that ctest never builds.
    add_dependencies(immutalint_tests immutalint_static)
  endif()
endif()

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
  # The package test runs cpack, which installs the man page and the completions.
  add_dependencies(immutalint_tests immutalint_manpage immutalint_completions)
endif()

install(FILES ${IMMUTALINT_MANPAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Shell completions, generated by the top-level CMakeLists.txt, where each shell looks for them.
install(FILES ${CMAKE_BINARY_DIR}/completions/immutalint DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_BINARY_DIR}/completions/_immutalint DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CMAKE_BINARY_DIR}/completions/immutalint.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
# docs/ keeps its name under the documentation directory so that README.md's links still resolve.
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# The copyright file (machine-readable, DEP-5) and the Debian changelog, from packaging/, with the
# maintainer and homepage filled in. Debian Policy 12.5 and 12.7: /usr/share/doc/<package>/copyright,
# and the changelog gzipped as changelog.gz in a native package (a version without a Debian
# revision, as here) or changelog.Debian.gz when CPACK_DEBIAN_PACKAGE_RELEASE, set when configuring,
# adds a revision. The changelog's latest entry must name the package's version (the package test
# checks it).
find_program(IMMUTALINT_GZIP gzip REQUIRED)
configure_file(${CMAKE_SOURCE_DIR}/packaging/copyright.in ${CMAKE_BINARY_DIR}/packaging/copyright @ONLY)
configure_file(${CMAKE_SOURCE_DIR}/packaging/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
# -n keeps name and time out of the gzip header, so the file is reproducible.
execute_process(COMMAND ${IMMUTALINT_GZIP} -9nc ${CMAKE_BINARY_DIR}/packaging/changelog
                OUTPUT_FILE ${CMAKE_BINARY_DIR}/packaging/changelog.gz COMMAND_ERROR_IS_FATAL ANY)
if(CPACK_DEBIAN_PACKAGE_RELEASE)
  set(IMMUTALINT_CHANGELOG_NAME changelog.Debian.gz)
else()
  set(IMMUTALINT_CHANGELOG_NAME changelog.gz)
endif()
# The kubectl plugin's man page, written by hand (packaging/kubectl-immutalint.1.in: the plugin has
# no option table to generate it from), with the version filled in and gzipped as Debian wants.
configure_file(${CMAKE_SOURCE_DIR}/packaging/kubectl-immutalint.1.in ${CMAKE_BINARY_DIR}/kubectl-immutalint.1 @ONLY)
execute_process(COMMAND ${IMMUTALINT_GZIP} -9nc ${CMAKE_BINARY_DIR}/kubectl-immutalint.1
                OUTPUT_FILE ${CMAKE_BINARY_DIR}/kubectl-immutalint.1.gz COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${CMAKE_BINARY_DIR}/kubectl-immutalint.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_BINARY_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_BINARY_DIR}/packaging/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME ${IMMUTALINT_CHANGELOG_NAME})

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
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${IMMUTALINT_PACKAGE_MAINTAINER}")
# No Homepage field while the address is unknown: an empty one is malformed.
if(IMMUTALINT_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${IMMUTALINT_HOMEPAGE}")
endif()
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
