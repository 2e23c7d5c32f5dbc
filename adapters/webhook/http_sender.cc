#include "adapters/webhook/http_sender.h"

#include <curl/curl.h>

#include <memory>

#include "adapters/webhook/outbound_signer.h"

namespace mentoring::webhook {
using core::Result;
using core::Status;

namespace {

constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

size_t discard(char* ptr, size_t size, size_t nmemb, void* userdata) {
  auto* total = static_cast<std::size_t*>(userdata);
  const std::size_t n = size * nmemb;
  (void)ptr;
  *total += n;
  // Returning less than n makes curl stop: the host's answer is not needed
  // beyond its status, and an endless one must not tie up the worker.
  return *total > kMaxAnswerBytes ? 0 : n;
}

}  // namespace

CurlWebhookSender::CurlWebhookSender(std::string url, std::vector<WebhookSecret> secrets, long timeout_ms)
    : url_(std::move(url)), secrets_(std::move(secrets)), timeout_ms_(timeout_ms) {}

Result<int> CurlWebhookSender::send(const std::string& msgid, std::int64_t timestamp, const std::string& body) {
  auto headers = sign_outbound(secrets_, msgid, timestamp, body);
  if (!headers) return headers.status();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::internal("curl_init_failed", "libcurl could not start a transfer.");
  struct curl_slist* list = nullptr;
  list = curl_slist_append(list, "Content-Type: application/json");
  for (const auto& h : headers->to_list()) list = curl_slist_append(list, (h.name + ": " + h.value).c_str());
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list, curl_slist_free_all);
  std::size_t received = 0;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  const CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  // A status that arrived counts even if the answer's body was cut short.
  if (status > 0) return static_cast<int>(status);
  return Status::unavailable("webhook_send_failed",
                             std::string("Sending the webhook failed: ") + curl_easy_strerror(rc) + ".");
}

}  // namespace mentoring::webhook
