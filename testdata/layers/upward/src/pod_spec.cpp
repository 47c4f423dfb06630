// A model file that includes the pipeline: cmake/check_layers.cmake must refuse it.
#include "immutalint/pod_spec.hpp"
#include "immutalint/lint.hpp"
