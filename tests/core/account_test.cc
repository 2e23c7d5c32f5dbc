#include "core/account.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace mentoring::core {
namespace {

AccountInput valid() { return {"https://portal.example.nhs.uk", "a1b2c3", "Dr Ada Lovelace", "ada@example.nhs.uk"}; }

TEST(AccountTest, AcceptsAHostAccount) { EXPECT_TRUE(validate(valid()).is_ok()); }

TEST(AccountTest, EmailIsOptionalButMustLookLikeOneWhenGiven) {
  AccountInput a = valid();
  a.email = "";
  EXPECT_TRUE(validate(a).is_ok());
  for (const char* bad : {"ada", "ada@", "@example.org", "ada@example", "a da@example.org", "a@b@example.org"}) {
    a.email = bad;
    EXPECT_EQ(validate(a).reason(), "account_email_invalid") << bad;
  }
}

TEST(AccountTest, RequiresPlatformAndSubjectAsPrintableAscii) {
  AccountInput a = valid();
  a.platform = "";
  EXPECT_EQ(validate(a).reason(), "account_platform_required");
  a = valid();
  a.subject = "";
  EXPECT_EQ(validate(a).reason(), "account_subject_required");
  a.subject = std::string(256, 's');
  EXPECT_EQ(validate(a).reason(), "account_subject_invalid");
  a.subject = "tab\there";
  EXPECT_EQ(validate(a).reason(), "account_subject_invalid");
}

TEST(AccountTest, NamesMayBeAnyLanguageButNotMalformedUtf8) {
  AccountInput a = valid();
  a.display_name = "Dr Siobhán Ní Bhriain 李";
  EXPECT_TRUE(validate(a).is_ok());
  a.display_name = std::string("\xC3\x28");  // invalid continuation
  EXPECT_EQ(validate(a).reason(), "account_name_invalid");
  a.display_name = std::string("\xC0\xAF");  // overlong '/'
  EXPECT_EQ(validate(a).reason(), "account_name_invalid");
  a.display_name = std::string("\xED\xA0\x80");  // surrogate
  EXPECT_EQ(validate(a).reason(), "account_name_invalid");
  a.display_name = "line\nbreak";
  EXPECT_EQ(validate(a).reason(), "account_name_invalid");
}

TEST(TextTest, TrimsAsciiWhiteSpace) {
  EXPECT_EQ(trim("  a b \t\n"), "a b");
  EXPECT_EQ(trim("   "), "");
}

}  // namespace
}  // namespace mentoring::core
