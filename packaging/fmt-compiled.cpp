// fmt's compiled part, for the static release binary: Debian ships libfmt only as a shared library.
//
// The objects of immutalint_core are compiled against fmt's headers in their usual (not
// header-only) mode, so they call fmt's out-of-line functions and its extern templates. Including
// format-inl.h once, without FMT_HEADER_ONLY, defines those functions here; the instantiations
// below are the ones fmt 9's format.h declares `extern template` or leaves to its library. Linked
// into immutalint_static only when no libfmt.a is found (cmake/packaging.cmake).
#include <fmt/format-inl.h>

static_assert(FMT_VERSION >= 90000 && FMT_VERSION < 100000,
              "packaging/fmt-compiled.cpp lists fmt 9's instantiations; another fmt needs its own list");

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;

}  // namespace detail
FMT_END_NAMESPACE
