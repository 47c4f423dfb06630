# Writes a C++ source holding every *.yaml file of a folder as a string, so that data
# catalogues (checks/, targets/) are compiled into the binary.
# Run as: cmake -DINPUT_DIR=... -DOUTPUT=... -DFUNCTION=... -P embed_catalogue.cmake
file(GLOB files RELATIVE ${INPUT_DIR} ${INPUT_DIR}/*.yaml)
list(SORT files)
set(body "// Generated from ${INPUT_DIR} by cmake/embed_catalogue.cmake. Do not edit.\n")
string(APPEND body "#include \"catalogue_data.hpp\"\n\nnamespace immutalint::detail {\n\n")
string(APPEND body "const std::vector<EmbeddedFile>& ${FUNCTION}() {\n")
string(APPEND body "  static const std::vector<EmbeddedFile> files = {\n")
foreach(name IN LISTS files)
  file(READ ${INPUT_DIR}/${name} content)
  string(FIND "${content}" ")catalogue\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the raw-string delimiter )catalogue\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"catalogue(${content})catalogue\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n\n}  // namespace immutalint::detail\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
# Newer than its inputs even when unchanged, so that the command does not run at every build.
file(TOUCH_NOCREATE ${OUTPUT})
