// A launch's custom mentoring_scheme_id links an unlinked context to its
// scheme, audited, and never replaces a link; the staff route's service
// links, relinks and unlinks. On a real SQLite database.
#include "adapters/lti/context_scheme_link.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/audit_stores.h"
#include "storage/database.h"

namespace mentoring::lti {
namespace {
namespace json = boost::json;
using core::Status;

TEST(CustomSchemeIdTest, AbsentClaimNamesNoScheme) {
  auto id = custom_scheme_id(json::object{});
  ASSERT_TRUE(id.is_ok());
  EXPECT_FALSE(id->has_value());
  EXPECT_FALSE(custom_scheme_id(json::object{{"scheme", "demo"}})->has_value());
}

TEST(CustomSchemeIdTest, DecimalTextOrIntegerIsRead) {
  EXPECT_EQ(custom_scheme_id(json::object{{"mentoring_scheme_id", "42"}})->value_or(0), 42);
  EXPECT_EQ(custom_scheme_id(json::object{{"mentoring_scheme_id", 7}})->value_or(0), 7);
  EXPECT_EQ(custom_scheme_id(json::object{{"mentoring_scheme_id", "9007199254740992"}})->value_or(0), 9007199254740992);
}

TEST(CustomSchemeIdTest, AnythingElseIsRefused) {
  const json::value bad[] = {"",
                             "0",
                             "-3",
                             "+3",
                             " 3",
                             "3 ",
                             "3.0",
                             "1e3",
                             "0x10",
                             "abc",
                             "$Context.id",
                             "12345678901234567",
                             "9007199254740993",
                             0,
                             -1,
                             1.5,
                             true,
                             nullptr,
                             json::array{1},
                             json::object{{"id", 1}},
                             json::value(std::uint64_t{18446744073709551615u})};
  for (const auto& v : bad) {
    auto id = custom_scheme_id(json::object{{"mentoring_scheme_id", v}});
    ASSERT_FALSE(id.is_ok()) << json::serialize(v);
    EXPECT_EQ(id.status().reason(), "custom_scheme_id_invalid") << json::serialize(v);
    EXPECT_EQ(id.status().field(), "mentoring_scheme_id");
  }
}

class ContextSchemeLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mentoring-context-link-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto p = s.lti.upsert_platform({"https://portal.example", "client-1", "https://portal.example/auth",
                                      "https://portal.example/token", "https://portal.example/jwks", ""},
                                     {"d1"}, 1);
      if (!p) return p.status();
      auto d = s.lti.find_deployment(p->id, "d1");
      if (!d) return d.status();
      auto c = s.lti.upsert_context((*d)->id, "course-1", "FY1", "Foundation", 1);
      if (!c) return c.status();
      context_ = *c;
      for (std::int64_t* id : {&scheme_a_, &scheme_b_}) {
        core::SchemeInput in;
        in.name = id == &scheme_a_ ? "FY1 North West" : "GP trainees";
        auto scheme = s.schemes.create(in, 1);
        if (!scheme) return scheme.status();
        *id = scheme->id;
      }
      auto a = s.accounts.upsert({"https://portal.example", "staff-1", "Priya Patel", ""}, 1);
      if (!a) return a.status();
      account_ = a->id;
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  ClaimLinkOutcome from_claim(const json::object& custom) {
    ClaimLinkOutcome out;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto now_link = stored();
      auto r = link_from_custom_claim(s, now_link, custom, account_, 100);
      if (!r) return r.status();
      out = *r;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }

  core::LtiContextLink stored() {
    core::LtiContextLink out;
    EXPECT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                     auto list = s.lti.list_contexts();
                     if (!list) return list.status();
                     for (const auto& c : *list)
                       if (c.id == context_.id) out = c;
                     return Status::ok();
                   })
                    .is_ok());
    return out;
  }

  std::vector<core::AuditEntry> audit() {
    std::vector<core::AuditEntry> out;
    EXPECT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                     core::AuditFilter f;
                     f.entity_type = "lti_context";
                     f.entityid = context_.id;
                     auto list = s.audit.list(f, core::Page{100, 0});
                     if (!list) return list.status();
                     out = *list;
                     return Status::ok();
                   })
                    .is_ok());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  core::LtiContextLink context_;
  std::int64_t scheme_a_ = 0, scheme_b_ = 0, account_ = 0;
};

TEST_F(ContextSchemeLinkTest, ClaimLinksAnUnlinkedContextAndIsAudited) {
  auto out = from_claim(json::object{{"mentoring_scheme_id", std::to_string(scheme_a_)}});
  EXPECT_TRUE(out.linked);
  EXPECT_EQ(out.warning, "");
  EXPECT_EQ(out.link.schemeid.value_or(0), scheme_a_);
  EXPECT_EQ(stored().schemeid.value_or(0), scheme_a_);
  auto entries = audit();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, core::Actor::account(account_));
  EXPECT_EQ(entries[0].action, core::AuditAction::kUpdate);
  EXPECT_EQ(entries[0].summary, "linked to a scheme by the launch's custom mentoring_scheme_id");

  // The same claim again changes nothing and writes nothing.
  out = from_claim(json::object{{"mentoring_scheme_id", std::to_string(scheme_a_)}});
  EXPECT_FALSE(out.linked);
  EXPECT_EQ(out.warning, "");
  EXPECT_EQ(audit().size(), 1u);
}

TEST_F(ContextSchemeLinkTest, ClaimNeverReplacesALink) {
  ASSERT_TRUE(db_->transact([&](core::Stores& s) {
                   return link_context_scheme(s, context_.id, scheme_a_, core::Actor::service(), 50).status();
                 })
                  .is_ok());
  auto out = from_claim(json::object{{"mentoring_scheme_id", std::to_string(scheme_b_)}});
  EXPECT_FALSE(out.linked);
  EXPECT_NE(out.warning, "");
  EXPECT_EQ(out.link.schemeid.value_or(0), scheme_a_);
  EXPECT_EQ(stored().schemeid.value_or(0), scheme_a_);
  EXPECT_EQ(audit().size(), 1u);  // the staff link only
}

TEST_F(ContextSchemeLinkTest, ContextLinkedMeanwhileKeepsThatLink) {
  // The launch read the context unlinked; another launch linked it since.
  core::LtiContextLink seen = stored();
  ASSERT_TRUE(db_->transact([&](core::Stores& s) {
                   return link_context_scheme(s, context_.id, scheme_a_, core::Actor::service(), 50).status();
                 })
                  .is_ok());
  ClaimLinkOutcome out;
  ASSERT_TRUE(
      db_->transact([&](core::Stores& s) -> Status {
           auto r = link_from_custom_claim(s, seen, json::object{{"mentoring_scheme_id", scheme_b_}}, account_, 100);
           if (!r) return r.status();
           out = *r;
           return Status::ok();
         })
          .is_ok());
  EXPECT_FALSE(out.linked);
  EXPECT_NE(out.warning, "");
  EXPECT_EQ(stored().schemeid.value_or(0), scheme_a_);
}

TEST_F(ContextSchemeLinkTest, InvalidOrUnknownSchemeIsIgnoredWithAWarning) {
  for (const json::object& custom :
       {json::object{{"mentoring_scheme_id", "not-a-number"}}, json::object{{"mentoring_scheme_id", "0"}},
        json::object{{"mentoring_scheme_id", std::to_string(scheme_b_ + 1000)}},
        json::object{{"mentoring_scheme_id", json::array{}}}}) {
    auto out = from_claim(custom);
    EXPECT_FALSE(out.linked) << json::serialize(custom);
    EXPECT_NE(out.warning, "") << json::serialize(custom);
    // The warning never quotes what the platform sent.
    EXPECT_EQ(out.warning.find("not-a-number"), std::string::npos);
    EXPECT_FALSE(stored().schemeid.has_value());
  }
  EXPECT_TRUE(audit().empty());
  // No claim at all: nothing to say.
  auto out = from_claim(json::object{{"scheme", "demo"}});
  EXPECT_FALSE(out.linked);
  EXPECT_EQ(out.warning, "");
}

TEST_F(ContextSchemeLinkTest, StaffServiceLinksRelinksAndUnlinks) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto a = link_context_scheme(s, context_.id, scheme_a_, core::Actor::service(), 10);
    if (!a) return a.status();
    EXPECT_EQ(a->schemeid.value_or(0), scheme_a_);
    auto b = link_context_scheme(s, context_.id, scheme_b_, core::Actor::service(), 11);
    if (!b) return b.status();
    EXPECT_EQ(b->schemeid.value_or(0), scheme_b_);
    auto none = link_context_scheme(s, context_.id, std::nullopt, core::Actor::service(), 12);
    if (!none) return none.status();
    EXPECT_FALSE(none->schemeid.has_value());
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  auto entries = audit();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].summary, "unlinked from its scheme");  // newest first
  EXPECT_TRUE(entries[0].actor.is_service());

  // A rejected link changes nothing and is not audited.
  Status missing = db_->transact([&](core::Stores& s) {
    return link_context_scheme(s, context_.id, scheme_b_ + 1000, core::Actor::service(), 13).status();
  });
  EXPECT_EQ(missing.reason(), "scheme_not_found");
  Status no_context = db_->transact([&](core::Stores& s) {
    return link_context_scheme(s, context_.id + 1000, scheme_a_, core::Actor::service(), 13).status();
  });
  EXPECT_EQ(no_context.reason(), "lti_context_not_found");
  EXPECT_EQ(audit().size(), 3u);
  EXPECT_FALSE(stored().schemeid.has_value());
}

}  // namespace
}  // namespace mentoring::lti
