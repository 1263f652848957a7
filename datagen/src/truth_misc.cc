// truth/manifest.json, truth/counts.json, truth/homonyms.csv and helpers.
#include "truth.h"

namespace citygraph::datagen::internal {
namespace {

const char* FormatName(Format f) {
  return f == Format::kCsv ? "csv" : f == Format::kTsv ? "tsv" : "jsonl";
}
const char* DateStyleName(DateStyle s) {
  switch (s) {
    case DateStyle::kIso:
      return "2016-07-09";
    case DateStyle::kSlash:
      return "2016/7/9";
    case DateStyle::kCompact:
      return "20160709";
    case DateStyle::kChinese:
      return "2016年7月9日";
  }
  return "";
}
std::string Rate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool WriteWholeFile(WriteContext* ctx, const std::string& rel_path, const std::string& text) {
  OutputFile f;
  if (!f.Open(ctx->out_dir + "/" + rel_path, Encoding::kUtf8, &ctx->error)) return false;
  if (!f.Write(text, &ctx->error)) return false;
  return f.Close(&ctx->error);
}

bool WriteManifest(const World& w, uint64_t persons, WriteContext* ctx) {
  const NoiseRates& n = w.noise;
  std::string t = "{\"seed\":" + std::to_string(w.seed) +
                  ",\"persons\":" + std::to_string(persons) + ",\"as_of\":\"" +
                  FormatDate(kAsOf, DateStyle::kIso) + "\",\"audit_date\":\"" +
                  FormatDate(kAsOf, DateStyle::kIso) + "\",\"extraction_date\":\"" +
                  FormatDate(kExtraction, DateStyle::kIso) + "\",\"report_window\":[\"" +
                  FormatDate(kWindowFirst, DateStyle::kIso) + "\",\"" +
                  FormatDate(kWindowLast, DateStyle::kIso) + "\"],\n\"noise\":{";
  const std::pair<const char*, double> rates[] = {
      {"id15", n.id15},           {"lower_x", n.lower_x},           {"fullwidth", n.fullwidth},
      {"spaces", n.spaces},       {"credit_lower", n.credit_lower}, {"missing_id", n.missing_id},
      {"duplicate", n.duplicate}, {"malformed", n.malformed},       {"homonym", n.homonym}};
  bool first = true;
  for (const auto& [name, v] : rates) {
    t += std::string(first ? "" : ",") + "\"" + name + "\":" + Rate(v);
    first = false;
  }
  t += "},\n\"files\":[";
  first = true;
  for (const FileInfo& f : ctx->files) {
    t += std::string(first ? "\n  " : ",\n  ") + "{\"path\":" + JsonQuote(f.path) +
         ",\"department\":" + JsonQuote(f.department) + ",\"format\":\"" + FormatName(f.format) +
         "\",\"encoding\":\"" + (f.encoding == Encoding::kGb18030 ? "GB18030" : "UTF-8") +
         "\",\"date_style\":" + JsonQuote(DateStyleName(f.date_style)) + "}";
    first = false;
  }
  t += "]}\n";
  return WriteWholeFile(ctx, "truth/manifest.json", t);
}

bool WriteCountsTruth(const World& w, WriteContext* ctx) {
  uint64_t individual = 0, open_cases = 0, streets = 0, communities = 0;
  for (const Business& b : w.businesses) individual += b.individual;
  for (const Case& c : w.cases) open_cases += (c.filed <= kAsOf && kAsOf < c.closed);
  for (const Area& a : w.areas) {
    streets += a.level == AreaLevel::kStreet;
    communities += a.level == AreaLevel::kCommunity;
  }
  uint64_t dibao_households = 0;
  for (const Household& h : w.households) dibao_households += h.dibao;
  const std::pair<const char*, uint64_t> entities[] = {
      {"persons", w.persons.size()},
      {"households", w.households.size()},
      {"houses", w.houses.size()},
      {"businesses", w.businesses.size()},
      {"individual_businesses", individual},
      {"companies", w.businesses.size() - individual},
      {"vehicles", w.vehicles.size()},
      {"cases", w.cases.size()},
      {"open_cases", open_cases},
      {"programs", 1},
      {"districts", kNumDistricts},
      {"streets", streets},
      {"communities", communities},
      {"grids", w.grids.size()},
      {"grid_workers", w.workers.size()},
      {"reports", w.reports.size()},
      {"phones", w.phones.size()},
      {"homonym_pairs", w.homonym_pairs.size()},
      {"dibao_households", dibao_households}};
  std::string t = "{\"entities\":{";
  bool first = true;
  for (const auto& [name, v] : entities) {
    t += std::string(first ? "" : ",") + "\"" + name + "\":" + std::to_string(v);
    first = false;
  }
  t += "},\n\"files\":{";
  first = true;
  for (const FileInfo& f : ctx->files) {
    const FileCounts& c = f.counts;
    t += std::string(first ? "\n  " : ",\n  ") + JsonQuote(f.path) +
         ":{\"rows\":" + std::to_string(c.rows) + ",\"malformed\":" + std::to_string(c.malformed) +
         ",\"duplicates\":" + std::to_string(c.duplicates) +
         ",\"missing_id\":" + std::to_string(c.missing_id) + ",\"id15\":" + std::to_string(c.id15) +
         ",\"lower_x\":" + std::to_string(c.lower_x) +
         ",\"fullwidth\":" + std::to_string(c.fullwidth) +
         ",\"spaces\":" + std::to_string(c.spaces) +
         ",\"credit_lower\":" + std::to_string(c.credit_lower) + "}";
    first = false;
  }
  t += "}}\n";
  return WriteWholeFile(ctx, "truth/counts.json", t);
}

bool WriteHomonymsTruth(const World& w, WriteContext* ctx) {
  std::string t = "name,birth_date,id_a,id_b\n";
  for (const auto& [a, b] : w.homonym_pairs) {
    t += w.persons[a].name + "," + FormatDate(w.persons[a].birth, DateStyle::kIso) + "," +
         w.persons[a].id + "," + w.persons[b].id + "\n";
  }
  return WriteWholeFile(ctx, "truth/homonyms.csv", t);
}

}  // namespace citygraph::datagen::internal
