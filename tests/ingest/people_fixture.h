// A small hand-written source used by the mapping, reject and resolution
// tests: persons with optional identity numbers owning houses.
#ifndef CITYGRAPH_TESTS_INGEST_PEOPLE_FIXTURE_H_
#define CITYGRAPH_TESTS_INGEST_PEOPLE_FIXTURE_H_

#include <string>

namespace citygraph::ingest::testing {

inline std::string PeopleMapping(const std::string& missing_policy = "resolve") {
  return R"(department: 测试局
file: people.csv
format: csv
encoding: utf-8
header: true
columns:
  身份证号: []
  姓名: {normalize: [name], required: true}
  出生日期: [date]
  地址: [fullwidth, collapse]
  电话: [phone]
  房屋: [collapse]
  起始: [date]
  份额: [amount]
vertices:
  - as: person
    label: Person
    key: {kind: id_number, column: 身份证号, missing: )" +
         missing_policy + R"(}
    properties: {name: 姓名, birth_date: 出生日期}
    match: {name: 姓名, birth_date: 出生日期, address: 地址, phone: 电话}
  - as: house
    label: House
    key: {kind: cert_no, column: 房屋, missing: skip}
    properties: {address: 地址}
edges:
  - {type: OWNS, from: person, to: house, valid_from: 起始, properties: {share: 份额}}
rules:
  - {range: 份额, min: 0, max: 1}
subject: person
)";
}

inline const char kPeopleHeader[] = "身份证号,姓名,出生日期,地址,电话,房屋,起始,份额\n";

}  // namespace citygraph::ingest::testing

#endif  // CITYGRAPH_TESTS_INGEST_PEOPLE_FIXTURE_H_
