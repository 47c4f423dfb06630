// The model header of the fixture.
#pragma once
