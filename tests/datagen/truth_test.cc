// The truth files agree with the department files they describe: conflicts,
// locate, counts and path distances are recomputed here from the parsed
// files (rows mapped to persons through truth/record_entities.csv, malformed
// and duplicate rows skipped) and compared with truth/*.json.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "city_reader.h"

namespace citygraph::datagen::testing {
namespace {

using json = nlohmann::json;
const int32_t kD = Ymd(2024, 6, 30);

json ReadJson(const std::string& path) { return json::parse(ReadBytes(path)); }

int32_t Start(const std::string& s) { return *ParseAnyDate(s); }
int32_t End(const std::string& s) { return s.empty() ? kForever : *ParseAnyDate(s); }
bool Holds(int32_t from, int32_t to) { return from <= kD && kD < to; }

// Accepted rows of one file with the entity key of each.
struct Rows {
  Table table;
  std::vector<std::pair<std::vector<std::string>, std::string>> ok;  // (fields, entity key)
  const std::string& F(const std::vector<std::string>& f, const char* col) const {
    return f.at(table.Col(col));
  }
};

Rows Accepted(const std::string& dir, const std::string& path, char sep, bool gb,
              const std::map<std::pair<std::string, uint32_t>, EntityRow>& entities) {
  Rows r;
  r.table = ReadTable(dir + "/" + path, sep, gb);
  for (auto& [line, f] : r.table.rows) {
    auto it = entities.find({path, line});
    if (it != entities.end() && it->second.status != "ok") continue;
    r.ok.push_back({f, it == entities.end() ? "" : it->second.key});
  }
  return r;
}

struct City {
  std::string dir;
  std::map<std::pair<std::string, uint32_t>, EntityRow> entities;
  Rows hukou, property, business, dibao, court, telecom;
  std::vector<json> vehicles;  // accepted, with "_key"
  struct Rep {
    std::string key, no, kind, cert;
    int32_t date;
    std::string file;
    uint32_t line;
  };
  std::vector<Rep> reports;
};

const City& TheCity() {
  static const City city = [] {
    City c;
    c.dir = SmallCity();
    c.entities = ReadEntities(c.dir);
    c.hukou = Accepted(c.dir, "police/hukou_persons.csv", ',', true, c.entities);
    c.property = Accepted(c.dir, "housing/property_rights.csv", ',', false, c.entities);
    c.business = Accepted(c.dir, "market/business_registry.tsv", '\t', false, c.entities);
    c.dibao = Accepted(c.dir, "civil/dibao_recipients.csv", ',', true, c.entities);
    c.court = Accepted(c.dir, "court/execution_cases.csv", ',', false, c.entities);
    c.telecom = Accepted(c.dir, "telecom/mobile_subscribers.csv", ',', false, c.entities);
    const std::string vpath = "vehicles/motor_vehicles.jsonl";
    for (const Line& l : ReadLines(c.dir + "/" + vpath, false)) {
      const EntityRow& e = c.entities.at({vpath, l.number});
      if (e.status != "ok") continue;
      json j = json::parse(l.text);
      j["_key"] = e.key;
      c.vehicles.push_back(j);
    }
    for (const auto& f : std::filesystem::directory_iterator(c.dir + "/grid/reports")) {
      const std::string path = "grid/reports/" + f.path().filename().string();
      const Table t = ReadTable(f.path().string(), ',', false);
      for (const auto& [line, row] : t.rows) {
        const EntityRow& e = c.entities.at({path, line});
        if (e.status != "ok" || e.kind != "person") continue;
        c.reports.push_back({e.key, row[0], row[4], row[5], Start(row[1]), path, line});
      }
    }
    return c;
  }();
  return city;
}

// person id -> household_no on the date; household_no -> hukou cert.
void Households(const City& c, std::map<std::string, std::string>* member_of,
                std::map<std::string, std::string>* registered_at) {
  for (const auto& [f, key] : c.hukou.ok) {
    if (!Holds(Start(c.hukou.F(f, "登记日期")), End(c.hukou.F(f, "迁出日期")))) continue;
    (*member_of)[key] = c.hukou.F(f, "户号");
    (*registered_at)[c.hukou.F(f, "户号")] = c.hukou.F(f, "房屋产权证号");
  }
}

TEST(DatagenTruth, ConflictsMatchTheFiles) {
  const City& c = TheCity();
  std::map<std::string, std::string> member_of, registered_at;
  Households(c, &member_of, &registered_at);
  std::map<std::string, std::set<std::string>> members;
  for (const auto& [p, h] : member_of) members[h].insert(p);
  std::set<std::string> checked;
  for (const auto& [f, key] : c.dibao.ok) {
    if (Holds(Start(c.dibao.F(f, "起始日期")), End(c.dibao.F(f, "终止日期"))))
      checked.insert(c.dibao.F(f, "户号"));
  }
  std::map<std::string, std::set<std::string>> houses;  // person -> certs owned on the date
  for (const auto& [f, key] : c.property.ok) {
    if (!key.empty() &&
        Holds(Start(c.property.F(f, "登记日期")), End(c.property.F(f, "注销日期")))) {
      houses[key].insert(c.property.F(f, "不动产权证号"));
    }
  }
  std::map<std::string, std::set<std::string>> shops;  // rep -> individual businesses existing
  for (const auto& [f, key] : c.business.ok) {
    if (c.business.F(f, "市场主体类型") == "个体工商户" &&
        Holds(Start(c.business.F(f, "成立日期")), End(c.business.F(f, "吊销注销日期")))) {
      shops[key].insert(*NormalizeCredit(c.business.F(f, "统一社会信用代码")));
    }
  }
  std::map<std::string, std::set<std::string>> cars;
  for (const json& v : c.vehicles) {
    if (v["syrlx"] == "个人" && Holds(Start(v["djrq"]), End(v["zxrq"]))) {
      cars[v["_key"].get<std::string>()].insert(v["hphm"].get<std::string>());
    }
  }
  // Expected hits as "household|rule|member|key".
  std::set<std::string> expected, actual;
  for (const std::string& h : checked) {
    for (const std::string& m : members[h]) {
      if (houses[m].size() >= 2) {
        for (const std::string& cert : houses[m]) expected.insert(h + "|houses|" + m + "|" + cert);
      }
      for (const std::string& s : shops[m])
        expected.insert(h + "|individual_business|" + m + "|" + s);
      for (const std::string& p : cars[m]) expected.insert(h + "|vehicle|" + m + "|" + p);
    }
  }
  const json truth = ReadJson(c.dir + "/truth/conflicts.json");
  EXPECT_EQ(truth["audit_date"], "2024-06-30");
  EXPECT_EQ(truth["households_checked"].get<size_t>(), checked.size());
  std::set<std::string> rules;
  for (const json& h : truth["ineligible"]) {
    for (const json& hit : h["hits"]) {
      const std::string prefix = h["household_no"].get<std::string>() + "|" +
                                 hit["rule"].get<std::string>() + "|" +
                                 hit["member"].get<std::string>() + "|";
      rules.insert(hit["rule"]);
      if (hit["rule"] == "houses") {
        for (const json& cert : hit["cert_nos"]) actual.insert(prefix + cert.get<std::string>());
      } else {
        actual.insert(
            prefix +
            (hit["rule"] == "vehicle" ? hit["plate"] : hit["credit_code"]).get<std::string>());
      }
    }
  }
  EXPECT_EQ(expected, actual);
  EXPECT_EQ(rules, (std::set<std::string>{"houses", "individual_business", "vehicle"}));
  // Decoys are checked households that are not ineligible, and the planted kinds occur.
  std::set<std::string> ineligible;
  for (const std::string& e : expected) ineligible.insert(e.substr(0, e.find('|')));
  std::set<std::string> decoy_kinds;
  for (const json& d : truth["decoys"]) {
    const std::string h = d["household_no"];
    EXPECT_TRUE(checked.count(h)) << h;
    EXPECT_FALSE(ineligible.count(h)) << h;
    for (const json& why : d["why"]) decoy_kinds.insert(why["kind"]);
  }
  for (const char* k : {"house_sold_before", "house_after", "business_revoked_before",
                        "company_not_individual", "vehicle_ended_before", "homonym_assets"}) {
    EXPECT_TRUE(decoy_kinds.count(k)) << k;
  }
}

TEST(DatagenTruth, LocateMatchesTheFiles) {
  const City& c = TheCity();
  std::map<std::string, std::set<std::string>> open_cases;  // debtor -> case_nos
  for (const auto& [f, key] : c.court.ok) {
    if (c.court.F(f, "当事人类型") != "被执行人" || key[0] == '9') continue;  // persons only
    if (Holds(Start(c.court.F(f, "立案日期")), End(c.court.F(f, "结案日期")))) {
      open_cases[key].insert(c.court.F(f, "案号"));
    }
  }
  std::map<std::string, const City::Rep*> latest;
  for (const City::Rep& r : c.reports) {
    if (r.kind != "出租登记" && r.kind != "入户走访") continue;
    const City::Rep*& best = latest[r.key];
    if (best == nullptr || std::tie(r.date, r.no) > std::tie(best->date, best->no)) best = &r;
  }
  std::map<std::string, std::string> member_of, registered_at;
  Households(c, &member_of, &registered_at);
  const json truth = ReadJson(c.dir + "/truth/locate.json");
  ASSERT_EQ(truth["debtors"].size(), open_cases.size());
  size_t by_report = 0, by_register = 0;
  for (const json& d : truth["debtors"]) {
    const std::string id = d["id_number"];
    ASSERT_TRUE(open_cases.count(id)) << id;
    EXPECT_EQ(d["case_nos"].get<std::set<std::string>>(), open_cases[id]);
    auto it = latest.find(id);
    if (it != latest.end()) {
      ++by_report;
      EXPECT_EQ(d["residence"]["cert_no"], it->second->cert) << id;
      EXPECT_EQ(d["evidence"]["report_no"], it->second->no) << id;
      EXPECT_EQ(d["evidence"]["file"], it->second->file) << id;
      EXPECT_EQ(d["evidence"]["line"].get<uint32_t>(), it->second->line) << id;
      EXPECT_EQ(d["evidence"]["kind"],
                it->second->kind == "出租登记" ? "rental_registration" : "home_visit");
    } else {
      ++by_register;
      EXPECT_EQ(d["evidence"]["kind"], "household_registration");
      EXPECT_EQ(d["residence"]["cert_no"], registered_at.at(member_of.at(id))) << id;
    }
    EXPECT_EQ(d["household"]["household_no"], member_of.at(id));
  }
  EXPECT_GT(by_report, 0u);
  EXPECT_GT(by_register, 0u);
}

TEST(DatagenTruth, CountsMatchTheFiles) {
  const City& c = TheCity();
  const json counts = ReadJson(c.dir + "/truth/counts.json");
  std::map<std::string, size_t> malformed, duplicates;
  for (const auto& [where, e] : c.entities) {
    malformed[where.first] += e.status == "malformed";
    duplicates[where.first] += e.status == "duplicate";
  }
  const json manifest = ReadJson(c.dir + "/truth/manifest.json");
  ASSERT_EQ(manifest["files"].size(), counts["files"].size());
  for (const json& f : manifest["files"]) {
    const std::string path = f["path"];
    const json& n = counts["files"][path];
    const bool gb = f["encoding"] == "GB18030";
    const size_t lines = ReadLines(c.dir + "/" + path, gb).size();
    EXPECT_EQ(n["rows"].get<size_t>(), f["format"] == "jsonl" ? lines : lines - 1) << path;
    EXPECT_EQ(n["malformed"].get<size_t>(), malformed[path]) << path;
    EXPECT_EQ(n["duplicates"].get<size_t>(), duplicates[path]) << path;
  }
  std::set<std::string> persons, households, houses, plates, cases, phones;
  for (const auto& [f, key] : c.hukou.ok) {
    persons.insert(key);
    households.insert(c.hukou.F(f, "户号"));
  }
  for (const auto& [f, key] : c.property.ok) houses.insert(c.property.F(f, "不动产权证号"));
  for (const json& v : c.vehicles) plates.insert(v["hphm"].get<std::string>());
  for (const auto& [f, key] : c.court.ok) cases.insert(c.court.F(f, "案号"));
  for (const auto& [f, key] : c.telecom.ok) phones.insert(c.telecom.F(f, "手机号码"));
  const json& e = counts["entities"];
  EXPECT_EQ(e["persons"].get<size_t>(), 3000u);
  EXPECT_EQ(e["persons"].get<size_t>(), persons.size());
  EXPECT_EQ(e["households"].get<size_t>(), households.size());
  EXPECT_EQ(e["houses"].get<size_t>(), houses.size());
  EXPECT_EQ(e["vehicles"].get<size_t>(), plates.size());
  EXPECT_EQ(e["cases"].get<size_t>(), cases.size());
  EXPECT_EQ(e["phones"].get<size_t>(), phones.size());
  EXPECT_EQ(e["businesses"].get<size_t>(), c.business.ok.size());
}

TEST(DatagenTruth, PathDistancesMatchABreadthFirstSearchOverTheFiles) {
  const City& c = TheCity();
  std::unordered_map<std::string, std::vector<std::string>> adj;
  auto edge = [&](const std::string& a, const std::string& b) {
    adj[a].push_back(b);
    adj[b].push_back(a);
  };
  std::map<std::string, std::string> member_of, registered_at;
  Households(c, &member_of, &registered_at);
  for (const auto& [p, h] : member_of) edge("P" + p, "H" + h);
  for (const auto& [h, cert] : registered_at) edge("H" + h, "C" + cert);
  for (const auto& [f, key] : c.property.ok) {
    if (Holds(Start(c.property.F(f, "登记日期")), End(c.property.F(f, "注销日期")))) {
      edge("P" + key, "C" + c.property.F(f, "不动产权证号"));
    }
  }
  for (const json& v : c.vehicles) {
    if (Holds(Start(v["djrq"]), End(v["zxrq"]))) {
      edge((v["syrlx"] == "个人" ? "P" : "B") + v["_key"].get<std::string>(),
           "V" + v["hphm"].get<std::string>());
    }
  }
  std::map<std::string, const City::Rep*> latest;
  for (const City::Rep& r : c.reports) {
    if (r.kind != "出租登记" && r.kind != "入户走访") continue;
    const City::Rep*& best = latest[r.key];
    if (best == nullptr || std::tie(r.date, r.no) > std::tie(best->date, best->no)) best = &r;
  }
  for (const auto& [p, r] : latest) edge("P" + p, "C" + r->cert);
  for (const auto& [f, key] : c.business.ok) {
    if (Holds(Start(c.business.F(f, "成立日期")), End(c.business.F(f, "吊销注销日期")))) {
      edge("P" + key, "B" + *NormalizeCredit(c.business.F(f, "统一社会信用代码")));
    }
  }
  for (const auto& [f, key] : c.court.ok) {
    if (Start(c.court.F(f, "立案日期")) <= kD) {
      edge((key[0] == '9' ? "B" : "P") + key, "K" + c.court.F(f, "案号"));
    }
  }
  for (const auto& [f, key] : c.telecom.ok) {
    if (Holds(Start(c.telecom.F(f, "入网日期")), End(c.telecom.F(f, "销户日期")))) {
      edge("P" + key, "T" + c.telecom.F(f, "手机号码"));
    }
  }
  const json truth = ReadJson(c.dir + "/truth/paths.json");
  ASSERT_GT(truth["pairs"].size(), 20u);
  size_t unreachable = 0, far = 0;
  for (const json& pair : truth["pairs"]) {
    const std::string a = "P" + pair["a"].get<std::string>(),
                      b = "P" + pair["b"].get<std::string>();
    std::unordered_map<std::string, int> dist{{a, 0}};
    std::deque<std::string> queue{a};
    while (!queue.empty() && !dist.count(b)) {
      const std::string u = queue.front();
      queue.pop_front();
      for (const std::string& v : adj[u]) {
        if (dist.emplace(v, dist[u] + 1).second) queue.push_back(v);
      }
    }
    const int expected = dist.count(b) ? dist[b] : -1;
    EXPECT_EQ(pair["distance"].get<int>(), expected) << pair.dump();
    unreachable += expected == -1;
    far += expected >= 4;
  }
  EXPECT_GT(unreachable, 0u);
  EXPECT_GT(far, 0u);
}

}  // namespace
}  // namespace citygraph::datagen::testing
