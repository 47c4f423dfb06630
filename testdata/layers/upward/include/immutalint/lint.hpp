// The pipeline header of the fixture.
#pragma once
#include "immutalint/pod_spec.hpp"
