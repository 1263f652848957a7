#include "table_writer.h"

#include <cstring>

#include "codes.h"

namespace citygraph::datagen::internal {
namespace {

uint64_t HashPath(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

void AddNoise(std::string* noise, std::string_view kind) {
  if (!noise->empty()) noise->push_back(';');
  noise->append(kind);
}

std::string FullWidthDigits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      // U+FF10..U+FF19 in UTF-8: EF BC 90..99
      out += "\xEF\xBC";
      out.push_back(static_cast<char>(0x90 + (c - '0')));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out->append(" ");
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace

TableWriter::TableWriter(WriteContext* ctx, std::string path, std::string department, Format format,
                         Encoding encoding, DateStyle date_style, std::vector<std::string> columns)
    : ctx_(ctx),
      info_{std::move(path), std::move(department), format, encoding, date_style, {}, {}},
      columns_(std::move(columns)),
      rng_(ctx->seed, HashPath(info_.path)) {}

bool TableWriter::Open() {
  if (!out_.Open(ctx_->out_dir + "/" + info_.path, info_.encoding, &ctx_->error)) return false;
  if (info_.format != Format::kJsonl) {
    scratch_.clear();
    AppendRow(&scratch_, columns_);
    return out_.Write(scratch_, &ctx_->error);
  }
  line_ = 0;
  return true;
}

void TableWriter::Text(std::string_view value) {
  fields_.emplace_back(value);
  is_date_.push_back(0);
}

void TableWriter::Date(Day day) {
  fields_.push_back(FormatDate(day, info_.date_style));
  is_date_.push_back(day == kNever ? 0 : 1);
}

void TableWriter::Id(const std::string& id18, bool may_be_missing) {
  const NoiseRates& n = ctx_->noise;
  is_date_.push_back(0);
  if (may_be_missing && rng_.Chance(n.missing_id)) {
    fields_.emplace_back();
    AddNoise(&noise_, "missing_id");
    ++info_.counts.missing_id;
    return;
  }
  id_field_ = static_cast<int>(fields_.size());
  key_canonical_ = id18;
  key_is_credit_ = false;
  std::string s = id18;
  if (id18[6] == '1' && id18[7] == '9' && rng_.Chance(n.id15)) {
    s = IdTo15(id18);
    AddNoise(&noise_, "id15");
    ++info_.counts.id15;
  } else if (id18[17] == 'X' && rng_.Chance(n.lower_x)) {
    s[17] = 'x';
    AddNoise(&noise_, "lower_x");
    ++info_.counts.lower_x;
  }
  if (rng_.Chance(n.fullwidth)) {
    s = FullWidthDigits(s);
    AddNoise(&noise_, "fullwidth");
    ++info_.counts.fullwidth;
  }
  if (rng_.Chance(n.spaces)) {
    switch (rng_.Below(3)) {
      case 0:
        s.insert(0, " ");
        break;
      case 1:
        s.push_back(' ');
        break;
      default:
        s.insert(6, " ");
        break;  // the first 6 characters are always ASCII digits
    }
    AddNoise(&noise_, "spaces");
    ++info_.counts.spaces;
  }
  fields_.push_back(std::move(s));
}

void TableWriter::Credit(const std::string& code18) {
  const NoiseRates& n = ctx_->noise;
  is_date_.push_back(0);
  id_field_ = static_cast<int>(fields_.size());
  key_canonical_ = code18;
  key_is_credit_ = true;
  std::string s = code18;
  if (rng_.Chance(n.credit_lower)) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    AddNoise(&noise_, "credit_lower");
    ++info_.counts.credit_lower;
  }
  if (rng_.Chance(n.spaces)) {
    s.insert(rng_.Chance(0.5) ? 0 : 8, " ");
    AddNoise(&noise_, "spaces");
    ++info_.counts.spaces;
  }
  fields_.push_back(std::move(s));
}

void TableWriter::Entity(std::string_view kind, std::string_view key) {
  entity_kind_ = kind;
  entity_key_ = key;
}

void TableWriter::AppendRow(std::string* out, const std::vector<std::string>& fields) const {
  if (info_.format == Format::kJsonl) {
    out->push_back('{');
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(out, i < columns_.size() ? columns_[i] : "extra");
      out->push_back(':');
      AppendJsonString(out, fields[i]);
    }
    out->append("}\n");
    return;
  }
  const char sep = info_.format == Format::kTsv ? '\t' : ',';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(sep);
    const std::string& f = fields[i];
    if (info_.format == Format::kCsv && f.find_first_of(",\"\n") != std::string::npos) {
      out->push_back('"');
      for (char c : f) {
        if (c == '"') out->push_back('"');
        out->push_back(c);
      }
      out->push_back('"');
    } else {
      out->append(f);
    }
  }
  out->push_back('\n');
}

void TableWriter::WriteLine(const std::string& line, std::string_view status,
                            std::string_view detail) {
  ++line_;
  ++info_.counts.rows;
  if (!out_.Write(line, &ctx_->error)) return;
  if (entity_kind_.empty()) return;
  entity_line_.clear();
  entity_line_ += info_.path;
  entity_line_ += ',';
  entity_line_ += std::to_string(line_);
  entity_line_ += ',';
  entity_line_ += entity_kind_;
  entity_line_ += ',';
  const bool quote = entity_key_.find(',') != std::string::npos;
  if (quote) entity_line_ += '"';
  entity_line_ += entity_key_;
  if (quote) entity_line_ += '"';
  entity_line_ += ',';
  entity_line_ += status;
  entity_line_ += ',';
  entity_line_ += detail;
  entity_line_ += ',';
  entity_line_ += noise_;
  entity_line_ += '\n';
  info_.entities += entity_line_;
}

uint32_t TableWriter::EndRow() {
  scratch_.clear();
  AppendRow(&scratch_, fields_);
  WriteLine(scratch_, "ok", "");
  const uint32_t line = line_;
  if (row_noise_ && rng_.Chance(ctx_->noise.duplicate)) {
    ++info_.counts.duplicates;
    WriteLine(scratch_, "duplicate", std::to_string(line));
  }
  if (row_noise_ && rng_.Chance(ctx_->noise.malformed)) {
    ++info_.counts.malformed;
    std::vector<std::string> bad = fields_;
    uint64_t kind = rng_.Below(3);
    std::string reason;
    std::vector<size_t> dates;
    for (size_t i = 0; i < is_date_.size(); ++i) {
      if (is_date_[i]) dates.push_back(i);
    }
    if (kind == 1 && dates.empty()) kind = 0;
    if (kind == 2 && id_field_ < 0) kind = 0;
    std::string line_text;
    if (kind == 1) {
      bad[dates[rng_.Below(dates.size())]] = ImpossibleDate(info_.date_style, rng_.Next());
      reason = "bad_date";
    } else if (kind == 2) {
      std::string key = key_canonical_;
      key[17] = key_is_credit_ ? WrongCreditCheckChar(key, rng_.Next())
                               : WrongIdCheckChar(key, rng_.Next());
      bad[id_field_] = key;
      reason = "bad_check";
    }
    if (kind == 0 && info_.format == Format::kJsonl) {
      AppendRow(&line_text, bad);
      // Cut mid-object at an ASCII comma so the line stays valid UTF-8.
      const size_t cut = line_text.rfind(',', line_text.size() / 2);
      line_text.resize(cut == std::string::npos ? 1 : cut);
      line_text.push_back('\n');
      reason = "bad_json";
    } else {
      if (kind == 0) {
        if (rng_.Chance(0.5)) {
          bad.pop_back();
        } else {
          bad.emplace_back("");
        }
        reason = "column_count";
      }
      AppendRow(&line_text, bad);
    }
    WriteLine(line_text, "malformed", reason);
  }
  fields_.clear();
  is_date_.clear();
  id_field_ = -1;
  noise_.clear();
  entity_kind_.clear();
  entity_key_.clear();
  return line;
}

bool TableWriter::Close() {
  if (!ctx_->error.empty()) return false;
  if (!out_.Close(&ctx_->error)) return false;
  ctx_->files.push_back(std::move(info_));
  return true;
}

}  // namespace citygraph::datagen::internal
