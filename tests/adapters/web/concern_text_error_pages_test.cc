// The concern pages when concern text cannot be sealed or opened: no key
// configured (concern_sealing_disabled), text that does not decrypt
// (concern_text_decrypt_failed), text sealed with a key the keyring no
// longer holds (concern_text_key_unknown) and a plain row not sealed yet
// (concern_text_unsealed). Each gets its own page, worded for the person
// who raised the concern or for the point of contact, never the generic
// error page, and the failed request changes nothing.
#include <soci/soci.h>

#include "app/concerns.h"
#include "core/concern_stores.h"
#include "core/governance.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/aes_gcm.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web::testing {
namespace {

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

#define EXPECT_GOOD_PAGE(res) EXPECT_EQ(testing::page_check_report((res).body, renderer_.asset_base()), "")

constexpr const char* kKeyA = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
// Another key under the same version: text sealed with A does not open.
constexpr const char* kOtherKeyA = "1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
// Only a newer version: text sealed with version 1 has no key.
constexpr const char* kOnlyKeyB = "2:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

class ConcernTextErrorPagesTest : public SignedInFixture {
 protected:
  void SetUp() override {
    SignedInFixture::SetUp();
    if (HasFatalFailure()) return;
    use_keys(kKeyA);
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      auto me = s.enrolments.create(cohort_, accounts_["trainee"], core::Role::kMentee, kFixtureT0);
      if (!me) return me.status();
      auto mo = s.enrolments.create(cohort_, accounts_["other"], core::Role::kMentor, kFixtureT0);
      if (!mo) return mo.status();
      auto place = s.pairings.sync_place(cohort_, mo->id, 1, kFixtureT0);
      if (!place) return place.status();
      auto p = s.pairings.create_active(
          core::PairingInput{cohort_, me->id, mo->id, core::PairingSource::kAssigned, std::nullopt}, kFixtureT0);
      if (!p) return p.status();
      pairing_ = p->id;
      core::GovernanceAssignment poc{0,
                                     scheme_,
                                     core::Responsibility::kDayToDayManagementAndPointOfContact,
                                     accounts_["admin"],
                                     "Director of PGME",
                                     core::ReportingCadence::kQuarterly,
                                     core::Date::from_unix(kFixtureT0).plus_days(30)};
      return s.governance.replace(scheme_, {poc}, kFixtureT0).status();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  void TearDown() override {
    ctx_->services.concerns = nullptr;
    concerns_.reset();
    SignedInFixture::TearDown();
  }

  // The pages' concern service, with a keyring of `keys` ("" for none).
  void use_keys(const std::string& keys) {
    auto cipher = storage::AesGcmCipher::from_config(keys, 0);
    ASSERT_TRUE(cipher.is_ok()) << cipher.status().to_string();
    ciphers_.push_back(std::move(cipher).value());
    concerns_ = std::make_unique<app::ConcernService>(*db_, clock_, *ciphers_.back());
    ctx_->services.concerns = concerns_.get();
  }

  // A concern the trainee raised through the service; its id.
  std::int64_t raise(const std::string& text) {
    core::ConcernInput in;
    in.pairingid = pairing_;
    in.category = core::ConcernCategory::kMeetings;
    in.urgency = core::ConcernUrgency::kSoon;
    in.text = text;
    auto c = concerns_->raise(accounts_["trainee"], in);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? c->id : 0;
  }

  std::int64_t count(const std::string& table) {
    std::int64_t n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM mentoring_" + table, soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  std::vector<std::unique_ptr<storage::AesGcmCipher>> ciphers_;
  std::unique_ptr<app::ConcernService> concerns_;
  std::int64_t pairing_ = 0;
};

TEST_F(ConcernTextErrorPagesTest, WithoutAKeyTheRaisePageSaysSoAndHasNoForm) {
  use_keys("");
  auto page = get("trainee", "/concerns");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "id=\"sealing-disabled\""));
  EXPECT_TRUE(contains(page.body, "Concerns cannot be raised or read here at the moment"));
  EXPECT_TRUE(contains(page.body, "point of contact or your educational supervisor directly")) << page.body;
  EXPECT_FALSE(contains(page.body, "id=\"raise\"")) << "no form to type into";
  EXPECT_GOOD_PAGE(page);
}

TEST_F(ConcernTextErrorPagesTest, AConcernSentAfterTheKeyWasRemovedIsRefusedWithItsOwnPage) {
  // The form was drawn while a key was configured; the key is gone when it is sent.
  const auto form = form_of("trainee", "/concerns",
                            {{"pairingid", std::to_string(pairing_)},
                             {"category", "meetings"},
                             {"urgency", "soon"},
                             {"text", "We have not met for two months."}});
  use_keys("");
  auto res = post("trainee", "/concerns", form);
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_TRUE(contains(res.body, "data-reason=\"concern_sealing_disabled\""));
  EXPECT_TRUE(contains(res.body, "Concerns cannot be raised or read here at the moment"));
  EXPECT_TRUE(contains(res.body, "Nothing has been saved or changed."));
  EXPECT_FALSE(contains(res.body, "privacy.demographics_keys")) << "the trainee is not told configuration names";
  EXPECT_GOOD_PAGE(res);
  EXPECT_EQ(count("concerns"), 0);
}

TEST_F(ConcernTextErrorPagesTest, TextThatDoesNotDecryptGetsItsOwnPageForRaiserAndStaff) {
  const std::int64_t id = raise("My mentor keeps cancelling.");
  ASSERT_GT(id, 0);
  use_keys(kOtherKeyA);
  const std::string path = "/concerns/" + std::to_string(id);
  auto mine = get("trainee", path);
  EXPECT_EQ(mine.status, 500) << mine.body;
  EXPECT_TRUE(contains(mine.body, "data-reason=\"concern_text_decrypt_failed\""));
  EXPECT_TRUE(contains(mine.body, "This concern cannot be opened"));
  EXPECT_TRUE(contains(mine.body, "administrator which concern you were opening")) << mine.body;
  EXPECT_FALSE(contains(mine.body, "keeps cancelling"));
  EXPECT_GOOD_PAGE(mine);
  // The trainee's own list opens every concern's text, so it says the same.
  auto list = get("trainee", "/concerns");
  EXPECT_EQ(list.status, 500);
  EXPECT_TRUE(contains(list.body, "This concern cannot be opened"));
  auto staff = get("admin", "/staff/concerns/" + std::to_string(id));
  EXPECT_EQ(staff.status, 500) << staff.body;
  EXPECT_TRUE(contains(staff.body, "they should check the encryption keys and the audit log"));
  EXPECT_GOOD_PAGE(staff);
}

TEST_F(ConcernTextErrorPagesTest, TextUnderARemovedKeyGetsItsOwnPageAndActionsChangeNothing) {
  const std::int64_t id = raise("We do not get on.");
  ASSERT_GT(id, 0);
  // Staff draw the action form while the key is there; then it is removed.
  const std::string staff_path = "/staff/concerns/" + std::to_string(id);
  const auto form = form_of("admin", staff_path, {{"action", "acknowledge"}, {"note", "Called today."}});
  const auto withdraw_form = form_of("trainee", "/concerns/" + std::to_string(id), {});
  use_keys(kOnlyKeyB);
  auto mine = get("trainee", "/concerns/" + std::to_string(id));
  EXPECT_EQ(mine.status, 503) << mine.body;
  EXPECT_TRUE(contains(mine.body, "data-reason=\"concern_text_key_unknown\""));
  EXPECT_TRUE(contains(mine.body, "It has not been lost."));
  EXPECT_GOOD_PAGE(mine);
  const std::int64_t actions = count("concern_actions");
  auto acted = post("admin", staff_path, form);
  EXPECT_EQ(acted.status, 503) << acted.body;
  EXPECT_TRUE(contains(acted.body, "add the older key back to privacy.demographics_keys"));
  EXPECT_GOOD_PAGE(acted);
  EXPECT_EQ(count("concern_actions"), actions);
  // Withdrawing goes through the same check.
  auto withdrawn = post("trainee", "/concerns/" + std::to_string(id) + "/withdraw", withdraw_form);
  EXPECT_EQ(withdrawn.status, 503) << withdrawn.body;
  EXPECT_TRUE(contains(withdrawn.body, "data-reason=\"concern_text_key_unknown\""));
  EXPECT_EQ(count("concern_actions"), actions);
}

TEST_F(ConcernTextErrorPagesTest, APlainRowNotSealedYetGetsItsOwnPage) {
  std::int64_t id = 0;
  core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
    core::Concern c;
    c.schemeid = scheme_;
    c.cohortid = cohort_;
    c.pairingid = pairing_;
    c.raised_by = accounts_["trainee"];
    c.raiser_role = core::Role::kMentee;
    c.routed_to = accounts_["admin"];
    c.category = core::ConcernCategory::kOther;
    c.urgency = core::ConcernUrgency::kRoutine;
    c.state = core::ConcernState::kRaised;
    c.text = "Stored before encryption.";
    auto created = s.concerns.create(c, kFixtureT0);
    if (!created) return created.status();
    id = created->id;
    return core::Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  auto mine = get("trainee", "/concerns/" + std::to_string(id));
  EXPECT_EQ(mine.status, 503) << mine.body;
  EXPECT_TRUE(contains(mine.body, "This concern is waiting to be encrypted"));
  EXPECT_FALSE(contains(mine.body, "Stored before encryption."));
  EXPECT_GOOD_PAGE(mine);
  auto staff = get("admin", "/staff/concerns/" + std::to_string(id));
  EXPECT_EQ(staff.status, 503);
  EXPECT_TRUE(contains(staff.body, "Try again after Mentoring has restarted."));
  EXPECT_GOOD_PAGE(staff);
}

}  // namespace
}  // namespace mentoring::web::testing
