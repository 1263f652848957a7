#include "codes.h"

namespace citygraph::datagen::internal {

char IdCheckChar(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kChars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChars[sum % 11];
}

std::string MakeIdNumber(std::string_view region6, Day birth, int seq) {
  std::string id(region6);
  AppendDate(&id, birth, DateStyle::kCompact);
  id.push_back(static_cast<char>('0' + seq / 100));
  id.push_back(static_cast<char>('0' + seq / 10 % 10));
  id.push_back(static_cast<char>('0' + seq % 10));
  id.push_back(IdCheckChar(id));
  return id;
}

std::string IdTo15(std::string_view id18) {
  std::string s(id18.substr(0, 6));
  s.append(id18.substr(8, 9));
  return s;
}

char WrongIdCheckChar(std::string_view id18, uint64_t pick) {
  static constexpr char kAll[11] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'};
  const char right = id18[17];
  char c = kAll[pick % 11];
  if (c == right) c = kAll[(pick + 1) % 11];
  return c;
}

namespace {
int CreditValue(char c) {
  for (size_t i = 0; i < kCreditAlphabet.size(); ++i) {
    if (kCreditAlphabet[i] == c) return static_cast<int>(i);
  }
  return 0;
}
}  // namespace

char CreditCheckChar(std::string_view first17) {
  static constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += CreditValue(first17[i]) * kWeights[i];
  const int c = (31 - sum % 31) % 31;
  return kCreditAlphabet[c];
}

char OrgCodeCheckChar(std::string_view body8) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    const char c = body8[i];
    const int v = (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;
    sum += v * kWeights[i];
  }
  const int c = 11 - sum % 11;
  if (c == 10) return 'X';
  if (c == 11) return '0';
  return static_cast<char>('0' + c);
}

std::string MakeCreditCode(char kind, std::string_view region6, uint64_t bits) {
  std::string code = "9";
  code.push_back(kind);
  code.append(region6);
  std::string body;
  for (int i = 0; i < 8; ++i) {
    body.push_back(kCreditAlphabet[bits % 31]);
    bits /= 31;
  }
  code.append(body);
  code.push_back(OrgCodeCheckChar(body));
  code.push_back(CreditCheckChar(code));
  return code;
}

char WrongCreditCheckChar(std::string_view code18, uint64_t pick) {
  const char right = code18[17];
  char c = kCreditAlphabet[pick % 31];
  if (c == right) c = kCreditAlphabet[(pick + 1) % 31];
  return c;
}

}  // namespace citygraph::datagen::internal
