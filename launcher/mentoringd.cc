// mentoringd: runs the mentoring plugin as a stand-alone service.
//
// It is a host like any other: it dlopen()s libmentoring.so, checks the ABI
// version, builds the configuration (defaults < --config file < MENTORING_*
// environment variables < --key=value flags), and drives the plugin through
// the C ABI in mentoring.h. SIGINT and SIGTERM stop it gracefully.
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "mentoring/mentoring.h"

namespace json = boost::json;

namespace {

// The ABI functions mentoringd uses, resolved with dlsym.
struct Api {
  decltype(&mentoring_abi_version) abi_version;
  decltype(&mentoring_version_string) version_string;
  decltype(&mentoring_options_describe) options_describe;
  decltype(&mentoring_open) open;
  decltype(&mentoring_close) close;
  decltype(&mentoring_migrate) migrate;
  decltype(&mentoring_free) free;
  decltype(&mentoring_handle_http) handle_http;
  decltype(&mentoring_http_response_free) response_free;
  decltype(&mentoring_serve_start) serve_start;
  decltype(&mentoring_serve_stop) serve_stop;
};

[[noreturn]] void die(const std::string& message, int code = 1) {
  std::fprintf(stderr, "mentoringd: %s\n", message.c_str());
  std::exit(code);
}

std::string default_plugin_path() {
  if (const char* env = std::getenv("MENTORINGD_PLUGIN"); env && *env) return env;
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "libmentoring.so";
  self[n] = '\0';
  std::string dir(self);
  dir.erase(dir.find_last_of('/'));
  return dir + "/../lib/libmentoring.so";
}

template <typename F>
void resolve(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(dlsym(lib, name));
  if (!out) die(std::string("the plugin library lacks ") + name + " (is it a mentoring plugin?)");
}

Api load(const std::string& path) {
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) die("cannot load plugin " + path + ": " + dlerror());
  Api api{};
  resolve(lib, "mentoring_abi_version", api.abi_version);
  if (api.abi_version() != MENTORING_ABI_VERSION)
    die("plugin " + path + " implements ABI version " + std::to_string(api.abi_version()) +
        ", this mentoringd needs version " + std::to_string(MENTORING_ABI_VERSION));
  resolve(lib, "mentoring_version_string", api.version_string);
  resolve(lib, "mentoring_options_describe", api.options_describe);
  resolve(lib, "mentoring_open", api.open);
  resolve(lib, "mentoring_close", api.close);
  resolve(lib, "mentoring_migrate", api.migrate);
  resolve(lib, "mentoring_free", api.free);
  resolve(lib, "mentoring_handle_http", api.handle_http);
  resolve(lib, "mentoring_http_response_free", api.response_free);
  resolve(lib, "mentoring_serve_start", api.serve_start);
  resolve(lib, "mentoring_serve_stop", api.serve_stop);
  return api;
}

struct OptionInfo {
  std::string key;
  std::string type;
  json::value def;
  std::string description;
};

std::vector<OptionInfo> describe(const Api& api) {
  std::vector<OptionInfo> out;
  const json::value doc = json::parse(api.options_describe());
  for (const auto& v : doc.as_array()) {
    const auto& o = v.as_object();
    out.push_back({std::string(o.at("key").as_string()), std::string(o.at("type").as_string()), o.at("default"),
                   std::string(o.at("description").as_string())});
  }
  return out;
}

// "database.url" -> "MENTORING_DATABASE_URL"
std::string env_name(const std::string& key) {
  std::string s = "MENTORING_";
  for (char c : key) s += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Converts a flag or environment string to the option's JSON type.
json::value typed(const OptionInfo& info, const std::string& text, const std::string& where) {
  if (info.type == "integer") {
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE) die(where + ": " + info.key + " must be a whole number, not '" + text + "'");
    return n;
  }
  if (info.type == "boolean") {
    if (text == "true" || text == "1" || text == "yes") return true;
    if (text == "false" || text == "0" || text == "no") return false;
    die(where + ": " + info.key + " must be true or false, not '" + text + "'");
  }
  return json::value(text);
}

void set_key(json::object& root, const std::string& key, json::value v) {
  const auto dot = key.find('.');
  json::value& section = root[key.substr(0, dot)];
  if (!section.is_object()) section.emplace_object();
  section.as_object()[key.substr(dot + 1)] = std::move(v);
}

// The value `key` ("section.name") has in `root`, if set.
const json::value* find_key(const json::object& root, const std::string& key) {
  const auto dot = key.find('.');
  const json::value* section = root.if_contains(key.substr(0, dot));
  if (!section || !section->is_object()) return nullptr;
  return section->as_object().if_contains(key.substr(dot + 1));
}

// Secrets (tokens, keys, passwords in connection strings) are never printed.
bool is_secret(const std::string& key) {
  return key.find("token") != std::string::npos || key.find("secret") != std::string::npos ||
         key.find("key") != std::string::npos;
}

// Prints every option with the value the plugin will use and where it came
// from (set: config file, environment or flag; default).
void print_effective(const std::vector<OptionInfo>& options, const json::object& config) {
  for (const auto& o : options) {
    const json::value* v = find_key(config, o.key);
    std::string shown = json::serialize(v ? *v : o.def);
    if (is_secret(o.key)) shown = (shown == "\"\"" || shown == "null") ? "(empty)" : "(set, hidden)";
    if (o.key == "database.url" && shown.find('@') != std::string::npos) {
      // postgresql://user:password@host/db -> postgresql://user:***@host/db
      const auto at = shown.find('@');
      const auto scheme = shown.find("://");
      const auto colon = shown.find(':', scheme == std::string::npos ? 0 : scheme + 3);
      if (colon != std::string::npos && colon < at) shown = shown.substr(0, colon + 1) + "***" + shown.substr(at);
    }
    std::printf("  %-36s %s%s\n", o.key.c_str(), shown.c_str(), v ? "" : "  (default)");
  }
}

void usage(const Api* api) {
  std::printf(
      "Usage: mentoringd [COMMAND] [--config FILE] [--plugin LIB] [--KEY=VALUE ...]\n\n"
      "Runs the mentoring plugin (libmentoring.so) as a service.\n\n"
      "Commands:\n"
      "  serve                 serve HTTP until SIGINT or SIGTERM (the default)\n"
      "  migrate               bring the database schema up to date and exit\n"
      "  check-config          validate the configuration, reach the database, print the effective values\n"
      "  request METHOD TARGET [BODY]\n"
      "                        send one HTTP request in-process and print the response\n"
      "  platform add --issuer URL --client-id ID --auth-url URL --jwks-url URL\n"
      "               --deployment-id ID [--token-url URL] [--token-audience AUD]\n"
      "                        register an LTI 1.3 platform (needs api.service_token)\n"
      "  platform list         list the registered LTI platforms\n"
      "  privacy rekey-concerns --actor ID\n"
      "                        seal all concern text and action notes again under the current key of\n"
      "                        privacy.demographics_keys, so an older key can be removed (needs\n"
      "                        api.service_token; ID holds the confidential data responsibility)\n"
      "  privacy rekey-demographics --actor ID\n"
      "                        the same for demographic monitoring answers\n"
      "  version               print the plugin and ABI versions\n\n"
      "Options:\n"
      "  --config FILE         a JSON configuration file\n"
      "  --plugin LIB          the plugin library (default: ../lib/libmentoring.so next to\n"
      "                        this program, or $MENTORINGD_PLUGIN)\n"
      "  --header NAME:VALUE   (request) add a request header; may be repeated\n"
      "  -h, --help            this text\n\n");
  if (!api) return;
  std::printf("Configuration keys (flag --KEY=VALUE, environment variable, default):\n");
  for (const auto& o : describe(*api)) {
    std::printf("  --%s=<%s>\n      %s\n      env %s, default %s\n", o.key.c_str(), o.type.c_str(),
                o.description.c_str(), env_name(o.key).c_str(), json::serialize(o.def).c_str());
  }
}

void host_log(void*, mentoring_log_level_t level, const char* msg, size_t len) {
  static const char* kNames[] = {"debug", "info", "warning", "error"};
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  // One fprintf per line keeps lines whole when several threads log.
  std::fprintf(stderr, "%s %s %.*s\n", stamp, kNames[level & 3], static_cast<int>(len), msg);
}

mentoring_plugin_t* open_plugin(const Api& api, const std::string& config) {
  mentoring_host_v1_t host{};
  host.struct_size = sizeof host;
  host.log = host_log;
  mentoring_plugin_t* plugin = nullptr;
  char* err = nullptr;
  if (api.open(MENTORING_ABI_VERSION, &host, config.data(), config.size(), &plugin, &err) != MENTORING_OK) {
    std::string message = err ? err : "unknown error";
    api.free(err);
    die(message);
  }
  return plugin;
}

int serve(const Api& api, const std::string& config) {
  // Block the stop signals in every thread, so the plugin's threads never
  // take them; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  mentoring_plugin_t* plugin = open_plugin(api, config);
  char* err = nullptr;
  uint16_t port = 0;
  if (api.serve_start(plugin, &port, &err) != MENTORING_OK) {
    std::string message = err ? err : "unknown error";
    api.free(err);
    api.close(plugin);
    die(message);
  }
  std::fprintf(stderr, "mentoringd: plugin %s serving on port %u; stop with Ctrl-C\n", api.version_string(), port);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::fprintf(stderr, "mentoringd: %s received, finishing in-flight requests\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  api.serve_stop(plugin, &err);
  api.free(err);
  api.close(plugin);
  std::fprintf(stderr, "mentoringd: stopped\n");
  return 0;
}

int request(const Api& api, const std::string& config, const std::vector<std::string>& args,
            const std::vector<std::string>& headers) {
  if (args.size() < 2 || args.size() > 3) die("request needs METHOD TARGET [BODY]", 2);
  mentoring_plugin_t* plugin = open_plugin(api, config);
  std::vector<mentoring_header_v1_t> hs;
  std::vector<std::pair<std::string, std::string>> owned;
  for (const auto& h : headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos) die("--header needs NAME:VALUE, not '" + h + "'", 2);
    std::string value = h.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    owned.emplace_back(h.substr(0, colon), value);
  }
  if (args.size() == 3) owned.emplace_back("Content-Type", "application/json");
  for (const auto& [n, v] : owned) hs.push_back({n.data(), n.size(), v.data(), v.size()});
  mentoring_http_request_v1_t req{};
  req.struct_size = sizeof req;
  req.method = args[0].data();
  req.method_len = args[0].size();
  req.target = args[1].data();
  req.target_len = args[1].size();
  req.headers = hs.data();
  req.header_count = hs.size();
  if (args.size() == 3) {
    req.body = args[2].data();
    req.body_len = args[2].size();
  }
  req.remote_address = "127.0.0.1";
  mentoring_http_response_v1_t* res = nullptr;
  char* err = nullptr;
  if (api.handle_http(plugin, &req, &res, &err) != MENTORING_OK) {
    std::string message = err ? err : "unknown error";
    api.free(err);
    api.close(plugin);
    die(message);
  }
  std::printf("%d\n", res->status);
  std::fwrite(res->body, 1, res->body_len, stdout);
  std::printf("\n");
  const int status = res->status;
  api.response_free(res);
  api.close(plugin);
  return status >= 200 && status < 400 ? 0 : 3;
}

// The flags of `platform add` and the JSON fields they fill.
const std::vector<std::pair<std::string, std::string>>& platform_flags() {
  static const std::vector<std::pair<std::string, std::string>> flags = {
      {"issuer", "issuer"},         {"client-id", "client_id"},     {"auth-url", "auth_login_url"},
      {"token-url", "auth_token_url"}, {"jwks-url", "jwks_url"},    {"deployment-id", "deployment_id"},
      {"token-audience", "token_audience"}};
  return flags;
}

// `platform add|list`: goes through the ABI like any host, as an in-process
// request to the administration API authenticated with api.service_token.
int platform(const Api& api, const std::string& config_text, const json::object& config,
             const std::vector<std::string>& args, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (args.size() != 1 || (args[0] != "add" && args[0] != "list")) die("platform needs 'add' or 'list'", 2);
  std::string token;
  if (const auto* section = config.if_contains("api"); section && section->is_object())
    if (const auto* t = section->as_object().if_contains("service_token"); t && t->is_string())
      token = std::string(t->as_string());
  if (token.empty()) die("platform " + args[0] + " needs api.service_token (flag, environment or config file)", 2);
  const std::string auth = "Authorization: Bearer " + token;
  if (args[0] == "list") return request(api, config_text, {"GET", "/api/v1/lti/platforms"}, {auth});
  json::object body;
  for (const auto& [name, value] : fields) body[name] = value;
  for (const char* required : {"issuer", "client_id", "auth_login_url", "jwks_url", "deployment_id"})
    if (!body.contains(required)) {
      std::string flag;
      for (const auto& [f, field] : platform_flags())
        if (field == required) flag = f;
      die("platform add needs --" + flag, 2);
    }
  return request(api, config_text, {"PUT", "/api/v1/lti/platforms", json::serialize(body)}, {auth});
}

// `privacy rekey-concerns|rekey-demographics --actor ID`: like `platform`,
// an in-process request to the administration API with api.service_token,
// made in the name of the account that holds the confidential data
// responsibility (the API checks it and audits every batch in its name).
int privacy(const Api& api, const std::string& config_text, const json::object& config,
            const std::vector<std::string>& args, const std::string& actor) {
  if (args.size() != 1 || (args[0] != "rekey-concerns" && args[0] != "rekey-demographics"))
    die("privacy needs 'rekey-concerns' or 'rekey-demographics'", 2);
  if (actor.empty()) die("privacy " + args[0] + " needs --actor ID (the account holding the confidential data responsibility)", 2);
  if (actor.find_first_not_of("0123456789") != std::string::npos || actor[0] == '0' || actor.size() > 18)
    die("--actor must be an account id (a positive whole number), not '" + actor + "'", 2);
  std::string token;
  if (const auto* section = config.if_contains("api"); section && section->is_object())
    if (const auto* t = section->as_object().if_contains("service_token"); t && t->is_string())
      token = std::string(t->as_string());
  if (token.empty()) die("privacy " + args[0] + " needs api.service_token (flag, environment or config file)", 2);
  const std::string target = args[0] == "rekey-concerns" ? "/api/v1/concerns/rekey" : "/api/v1/demographics/rekey";
  return request(api, config_text, {"POST", target}, {"Authorization: Bearer " + token, "X-Mentoring-Actor: " + actor});
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = "serve";
  std::string config_file;
  std::string plugin_path = default_plugin_path();
  std::vector<std::pair<std::string, std::string>> flags;
  std::vector<std::string> positional;
  std::vector<std::string> headers;
  bool help = false;
  bool command_set = false;

  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value_of = [&](const std::string& name) -> std::string {
      if (i + 1 >= argc) die(name + " needs a value", 2);
      return argv[++i];
    };
    if (a == "-h" || a == "--help") help = true;
    else if (a == "--config") config_file = value_of(a);
    else if (a.rfind("--config=", 0) == 0) config_file = a.substr(9);
    else if (a == "--plugin") plugin_path = value_of(a);
    else if (a.rfind("--plugin=", 0) == 0) plugin_path = a.substr(9);
    else if (a == "--header") headers.push_back(value_of(a));
    else if (a.rfind("--", 0) == 0) {
      const auto eq = a.find('=');
      if (eq == std::string::npos) flags.emplace_back(a.substr(2), value_of(a));
      else flags.emplace_back(a.substr(2, eq - 2), a.substr(eq + 1));
    } else if (!command_set) {
      command = a;
      command_set = true;
    } else {
      positional.push_back(a);
    }
  }

  const Api api = load(plugin_path);
  if (help) {
    usage(&api);
    return 0;
  }
  if (command == "version") {
    std::printf("mentoringd with plugin %s (ABI %u)\n", api.version_string(), api.abi_version());
    return 0;
  }

  // Build the configuration: file, then environment, then flags.
  json::object config;
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in) die("cannot read configuration file " + config_file + ": " + std::strerror(errno));
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(ss.str(), ec);
    if (ec) die("configuration file " + config_file + " is not valid JSON: " + ec.message());
    if (!v.is_object()) die("configuration file " + config_file + " must hold a JSON object");
    config = v.as_object();
  }
  const auto options = describe(api);
  for (const auto& o : options) {
    const std::string name = env_name(o.key);
    if (const char* v = std::getenv(name.c_str())) set_key(config, o.key, typed(o, v, "environment " + name));
  }
  std::vector<std::pair<std::string, std::string>> platform_fields;
  std::string privacy_actor;
  for (const auto& [key, value] : flags) {
    if (command == "privacy" && key == "actor") {
      privacy_actor = value;
      continue;
    }
    if (command == "platform") {
      bool is_platform_flag = false;
      for (const auto& [flag, field] : platform_flags()) {
        if (flag != key) continue;
        platform_fields.emplace_back(field, value);
        is_platform_flag = true;
      }
      if (is_platform_flag) continue;
    }
    const OptionInfo* info = nullptr;
    for (const auto& o : options)
      if (o.key == key) info = &o;
    if (!info) die("unknown option --" + key + " (see mentoringd --help)", 2);
    set_key(config, key, typed(*info, value, "flag --" + key));
  }

  // These commands must not change the schema as a side effect of opening.
  if (command == "migrate" || command == "check-config") set_key(config, "database.migrate", false);
  const std::string config_text = json::serialize(config);

  if (command == "serve") return serve(api, config_text);
  if (command == "migrate") {
    mentoring_plugin_t* plugin = open_plugin(api, config_text);
    int64_t version = 0;
    char* err = nullptr;
    if (api.migrate(plugin, &version, &err) != MENTORING_OK) {
      std::string message = err ? err : "unknown error";
      api.free(err);
      api.close(plugin);
      die(message);
    }
    api.close(plugin);
    std::printf("mentoringd: database schema at version %lld\n", static_cast<long long>(version));
    return 0;
  }
  if (command == "check-config") {
    mentoring_plugin_t* plugin = open_plugin(api, config_text);
    api.close(plugin);
    std::printf("mentoringd: configuration is valid; effective values:\n");
    print_effective(options, config);
    return 0;
  }
  if (command == "request") return request(api, config_text, positional, headers);
  if (command == "platform") return platform(api, config_text, config, positional, platform_fields);
  if (command == "privacy") return privacy(api, config_text, config, positional, privacy_actor);
  die("unknown command '" + command + "' (see mentoringd --help)", 2);
}
