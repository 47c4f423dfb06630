// The hash sources of a Content-Security-Policy: the HTML report allows exactly its own inline
// style and script, named by their SHA-256, and nothing else.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace immutalint::csp {

/// The SHA-256 digest of `bytes` (FIPS 180-4).
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

/// `bytes` in standard base64, with padding.
std::string base64(std::string_view bytes);

/// "sha256-<base64 digest>", as a CSP source expression (without the quotes).
std::string hash_source(std::string_view inline_text);

}  // namespace immutalint::csp
