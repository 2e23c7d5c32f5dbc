#include "core/matching/assignment.h"

// LEMON is used header-only: this defines lemon::INVALID in this file
// instead of needing liblemon at link time.
#define LEMON_ONLY_TEMPLATES
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <exception>

namespace mentoring::core::matching {

const char* to_string(PairSource s) {
  switch (s) {
    case PairSource::kPinned: return "pinned";
    case PairSource::kOptimal: return "optimal";
    case PairSource::kStable: return "stable";
    case PairSource::kGreedy: return "greedy";
    case PairSource::kChosen: return "chosen";
    case PairSource::kFallback: return "fallback";
  }
  return "unknown";
}

Assignment pinned_only(const MatchingProblem& p) {
  Assignment a;
  a.mentor_of.assign(static_cast<std::size_t>(p.mentee_count()), -1);
  a.source.assign(static_cast<std::size_t>(p.mentee_count()), PairSource::kOptimal);
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (p.pinned_mentor(e) >= 0) {
      a.mentor_of[e] = p.pinned_mentor(e);
      a.source[e] = PairSource::kPinned;
    }
  }
  recount(p, a);
  return a;
}

std::vector<int> remaining_places(const MatchingProblem& p, const Assignment& fixed) {
  std::vector<int> rem(static_cast<std::size_t>(p.mentor_count()));
  for (int m = 0; m < p.mentor_count(); ++m) rem[m] = p.free_places(m);
  for (std::size_t e = 0; e < fixed.mentor_of.size(); ++e) {
    const int m = fixed.mentor_of[e];
    if (m >= 0 && fixed.source[e] != PairSource::kPinned) --rem[m];
  }
  return rem;
}

void recount(const MatchingProblem& p, Assignment& a) {
  a.matched = 0;
  a.total_score = 0;
  for (std::size_t e = 0; e < a.mentor_of.size(); ++e) {
    if (a.mentor_of[e] < 0) continue;
    ++a.matched;
    a.total_score += p.score(static_cast<int>(e), a.mentor_of[e]).total;
  }
}

Result<Assignment> solve_optimal(const MatchingProblem& p, const CandidateGraph& g, const Assignment& fixed) {
  using Graph = lemon::SmartDigraph;
  Assignment out = fixed;
  const std::vector<int> rem = remaining_places(p, fixed);
  try {
    Graph graph;
    // Mentees who can still be matched: not fixed, with a candidate who has room.
    std::vector<int> mentor_node(static_cast<std::size_t>(p.mentor_count()), -1);
    std::vector<int> active;
    std::size_t arcs = 0;
    for (int e = 0; e < p.mentee_count(); ++e) {
      if (fixed.mentor_of[e] >= 0) continue;
      bool any = false;
      for (const Candidate& c : g.of(e)) {
        if (rem[c.mentor] > 0) {
          any = true;
          ++arcs;
        }
      }
      if (any) active.push_back(e);
    }
    if (active.empty()) return out;
    const std::int64_t n = static_cast<std::int64_t>(active.size());
    // One more matched mentee must outweigh any total-score difference.
    const std::int64_t big = static_cast<std::int64_t>(kMaxScore) * n + 1;

    graph.reserveNode(static_cast<int>(active.size() + p.mentor_count() + 2));
    graph.reserveArc(static_cast<int>(arcs + active.size() + p.mentor_count() + 1));
    // Capacities fit in int; costs need 64 bits (potentials add costs up).
    Graph::ArcMap<int> upper(graph);
    Graph::ArcMap<std::int64_t> cost(graph);
    const Graph::Node source = graph.addNode();
    const Graph::Node sink = graph.addNode();
    std::vector<Graph::Node> mentee_nodes;
    mentee_nodes.reserve(active.size());
    std::vector<int> mentor_of_node;  // by node id; -1 for other nodes
    std::vector<Graph::Node> mentor_nodes;
    auto note_node = [&](Graph::Node node, int mentor) {
      const auto id = static_cast<std::size_t>(graph.id(node));
      if (mentor_of_node.size() <= id) mentor_of_node.resize(id + 1, -1);
      mentor_of_node[id] = mentor;
    };
    for (int e : active) {
      const Graph::Node en = graph.addNode();
      mentee_nodes.push_back(en);
      const Graph::Arc a = graph.addArc(source, en);
      upper[a] = 1;
      cost[a] = 0;
      for (const Candidate& c : g.of(e)) {
        if (rem[c.mentor] <= 0) continue;
        if (mentor_node[c.mentor] < 0) {
          mentor_node[c.mentor] = static_cast<int>(mentor_nodes.size());
          mentor_nodes.push_back(graph.addNode());
          note_node(mentor_nodes.back(), c.mentor);
          const Graph::Arc ma = graph.addArc(mentor_nodes.back(), sink);
          upper[ma] = rem[c.mentor];
          cost[ma] = 0;
        }
        const Graph::Arc pa = graph.addArc(en, mentor_nodes[mentor_node[c.mentor]]);
        upper[pa] = 1;
        cost[pa] = -(big + c.score);
      }
    }
    // Leaving a mentee unmatched is always possible.
    const Graph::Arc bypass = graph.addArc(source, sink);
    upper[bypass] = static_cast<int>(n);
    cost[bypass] = 0;

    lemon::NetworkSimplex<Graph, int, std::int64_t> solver(graph);
    solver.upperMap(upper).costMap(cost).stSupply(source, sink, static_cast<int>(n));
    if (solver.run() != decltype(solver)::OPTIMAL) {
      return Status::internal("solver_failed", "The assignment solver did not find an optimal solution.");
    }
    for (std::size_t i = 0; i < active.size(); ++i) {
      for (Graph::OutArcIt a(graph, mentee_nodes[i]); a != lemon::INVALID; ++a) {
        if (solver.flow(a) > 0) {
          out.mentor_of[active[i]] = mentor_of_node[static_cast<std::size_t>(graph.id(graph.target(a)))];
          out.source[active[i]] = PairSource::kOptimal;
        }
      }
    }
  } catch (const std::exception& ex) {
    // LEMON reports allocation failures as exceptions; they stop here.
    return Status::internal("solver_failed", std::string("The assignment solver failed: ") + ex.what());
  }
  recount(p, out);
  return out;
}

Assignment solve_greedy(const MatchingProblem& p, const CandidateGraph& g, const Assignment& fixed) {
  Assignment out = fixed;
  std::vector<int> rem = remaining_places(p, fixed);
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (out.mentor_of[e] >= 0) continue;
    for (const Candidate& c : g.of(e)) {
      if (rem[c.mentor] > 0) {
        --rem[c.mentor];
        out.mentor_of[e] = c.mentor;
        out.source[e] = PairSource::kGreedy;
        break;
      }
    }
  }
  recount(p, out);
  return out;
}

}  // namespace mentoring::core::matching
