// Small hand-made people for the matching tests.
#pragma once

#include <string>
#include <vector>

#include "core/matching/inputs.h"

namespace mentoring::core::matching::testing {

inline MentorInput mentor(PersonId id, std::vector<std::string> topics = {"teaching"}, int capacity = 1) {
  MentorInput m;
  m.id = id;
  m.topics = std::move(topics);
  m.capacity = capacity;
  m.training_in_date = true;
  m.career_stage = 5;
  return m;
}

inline MenteeInput mentee(PersonId id, std::vector<std::string> topics = {"teaching"}) {
  MenteeInput e;
  e.id = id;
  e.topics = std::move(topics);
  e.career_stage = 2;
  return e;
}

}  // namespace mentoring::core::matching::testing
