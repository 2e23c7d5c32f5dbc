# Precompiled headers: the heavy third-party headers that most files of a
# target include (Boost.JSON, Boost.URL, kainjow's Mustache, GoogleTest) are
# parsed once per target instead of once per file. On two cores this takes
# about a third off a test file's compile time and a fifth off an adapter's
# (docs/benchmarks.md, "Build time"). Set MENTORING_PRECOMPILED_HEADERS=OFF to
# compile every file on its own (for example to check that each file includes
# what it uses).
option(MENTORING_PRECOMPILED_HEADERS "Precompile the common third-party headers" ON)

set(MENTORING_PCH_STD <string> <string_view> <vector> <map> <set> <optional> <functional> <memory>)

# mentoring_precompile(<target> <kind>): kind is ADAPTER (Boost.JSON, Boost.URL,
# Mustache) or TEST (GoogleTest, gmock, Boost.JSON). Targets that do not link
# Boost (the domain core and its tests) are left alone.
function(mentoring_precompile target kind)
  if(NOT MENTORING_PRECOMPILED_HEADERS)
    return()
  endif()
  if(kind STREQUAL "ADAPTER")
    target_precompile_headers(${target} PRIVATE
      <boost/json.hpp> <boost/url.hpp> <kainjow/mustache.hpp> ${MENTORING_PCH_STD})
  elseif(kind STREQUAL "TEST")
    target_precompile_headers(${target} PRIVATE
      <gtest/gtest.h> <gmock/gmock.h> <boost/json.hpp> <filesystem> <regex> <thread> ${MENTORING_PCH_STD})
  else()
    message(FATAL_ERROR "mentoring_precompile: unknown kind ${kind}")
  endif()
endfunction()
