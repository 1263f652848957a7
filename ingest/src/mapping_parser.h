// Internal: the mapping-file parser shared by mapping.cc (format, columns,
// conditions, the public entry points) and mapping_entities.cc (vertices,
// edges, rules, resolution parameters).
#ifndef CITYGRAPH_INGEST_SRC_MAPPING_PARSER_H_
#define CITYGRAPH_INGEST_SRC_MAPPING_PARSER_H_

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "citygraph/ingest/mapping.h"

namespace citygraph::ingest::internal {

// The node's scalar text, or "" if it is absent or not a scalar.
std::string Scalar(const YAML::Node& n);

// Collects context for messages: "mapping m.yaml: vertices[1].key: ...".
class Parser {
 public:
  Parser(const std::string& path, const Schema& schema, const std::string& data_dir)
      : path_(path), schema_(schema), data_dir_(data_dir) {}

  Status Error(const std::string& where, const std::string& what) const {
    return InvalidArgument("mapping " + path_ + ": " + where + ": " + what);
  }

  StatusOr<Mapping> Run(const YAML::Node& root);

 private:
  Status ParseFormat(const YAML::Node& root);
  Status ParseColumns(const YAML::Node& node);
  StatusOr<int> Column(const YAML::Node& node, const std::string& where) const;
  StatusOr<int> ColumnName(const std::string& name, const std::string& where) const;
  StatusOr<ValueSource> Source(const YAML::Node& node, const std::string& where) const;
  Status ParseVertex(const YAML::Node& node, size_t index);
  Status ParseEdge(const YAML::Node& node, size_t index);
  Status ParseRule(const YAML::Node& node, size_t index);
  Status ParseResolution(const YAML::Node& node);
  StatusOr<int> Alias(const YAML::Node& node, const std::string& where) const;
  StatusOr<std::vector<Condition>> When(const YAML::Node& node, const std::string& where) const;

  std::string path_;
  const Schema& schema_;
  std::string data_dir_;
  Mapping m_;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_MAPPING_PARSER_H_
