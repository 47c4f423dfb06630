// Catch2's main. Wide lines, so that report lines and golden diffs are not wrapped.
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_CONSOLE_WIDTH 400
#include <catch2/catch.hpp>
