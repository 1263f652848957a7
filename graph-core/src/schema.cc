#include "citygraph/schema.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace citygraph {
namespace {

std::string Where(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return "";
  return " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
         ")";
}

Status ParseProperties(const YAML::Node& node, const std::string& owner,
                       std::vector<PropertyDef>* out) {
  if (!node) return Status::OK();
  if (node.IsNull()) return Status::OK();
  if (!node.IsMap()) return InvalidArgument(owner + ": properties must be a map" + Where(node));
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string name = entry.first.as<std::string>();
    if (!seen.insert(name).second) {
      return InvalidArgument(owner + ": property '" + name + "' declared twice" +
                             Where(entry.first));
    }
    if (!entry.second.IsScalar()) {
      return InvalidArgument(owner + ": property '" + name + "' needs a type name" +
                             Where(entry.second));
    }
    auto type = ParsePropType(entry.second.as<std::string>());
    if (!type.ok()) {
      return InvalidArgument(owner + ": property '" + name + "': " + type.status().message() +
                             Where(entry.second));
    }
    out->push_back(PropertyDef{name, *type});
  }
  return Status::OK();
}

Status ParseNameList(const YAML::Node& node, const std::string& what,
                     std::vector<std::string>* out) {
  if (!node || node.IsNull()) return Status::OK();
  if (!node.IsSequence()) return InvalidArgument(what + " must be a list" + Where(node));
  for (const auto& item : node) {
    if (!item.IsScalar()) return InvalidArgument(what + " entries must be names" + Where(item));
    out->push_back(item.as<std::string>());
  }
  return Status::OK();
}

template <typename Def>
StatusOr<uint16_t> FindByName(const std::vector<Def>& defs, std::string_view name,
                              const char* what) {
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i].name == name) return static_cast<uint16_t>(i);
  }
  return NotFound(std::string(what) + " '" + std::string(name) + "' is not in the schema");
}

std::string TypeMismatch(const std::string& owner, const PropertyDef& def, const Value& value) {
  return owner + " property '" + def.name + "' is " + std::string(PropTypeName(def.type)) +
         ", got " +
         (std::holds_alternative<std::monostate>(value) ? std::string("no value")
                                                        : std::string(PropTypeName(TypeOf(value))));
}

}  // namespace

StatusOr<std::shared_ptr<const Schema>> Schema::Parse(std::string_view yaml_text) {
  auto schema = std::make_shared<Schema>();
  schema->text_ = std::string(yaml_text);
  try {
    YAML::Node root = YAML::Load(schema->text_);
    if (!root.IsMap()) return InvalidArgument("schema: top level must be a map");
    for (const auto& entry : root) {
      const std::string k = entry.first.as<std::string>();
      if (k != "key_kinds" && k != "vertex_labels" && k != "edge_types") {
        return InvalidArgument("schema: unknown section '" + k + "'" + Where(entry.first));
      }
    }
    CG_RETURN_IF_ERROR(ParseNameList(root["key_kinds"], "key_kinds", &schema->key_kinds_));
    std::set<std::string> kinds;
    for (const auto& kind : schema->key_kinds_) {
      if (!kinds.insert(kind).second) {
        return InvalidArgument("schema: key kind '" + kind + "' declared twice");
      }
    }
    const YAML::Node labels = root["vertex_labels"];
    if (!labels || !labels.IsMap() || labels.size() == 0) {
      return InvalidArgument("schema: vertex_labels must be a non-empty map");
    }
    for (const auto& entry : labels) {
      LabelDef def;
      def.name = entry.first.as<std::string>();
      const std::string owner = "vertex label '" + def.name + "'";
      if (FindByName(schema->labels_, def.name, "label").ok()) {
        return InvalidArgument("schema: " + owner + " declared twice" + Where(entry.first));
      }
      const YAML::Node body = entry.second;
      if (!body.IsNull() && !body.IsMap()) {
        return InvalidArgument("schema: " + owner + " must be a map" + Where(body));
      }
      std::vector<std::string> keys;
      CG_RETURN_IF_ERROR(ParseNameList(body["keys"], "schema: " + owner + " keys", &keys));
      for (const auto& key : keys) {
        auto kind = schema->FindKeyKind(key);
        if (!kind.ok()) {
          return InvalidArgument("schema: " + owner + " uses undeclared key kind '" + key + "'" +
                                 Where(body["keys"]));
        }
        def.key_kinds.push_back(*kind);
      }
      CG_RETURN_IF_ERROR(ParseProperties(body["properties"], "schema: " + owner, &def.properties));
      schema->labels_.push_back(std::move(def));
    }
    if (schema->labels_.size() > 65535) return InvalidArgument("schema: too many labels");
    const YAML::Node types = root["edge_types"];
    if (types && !types.IsNull() && !types.IsMap()) {
      return InvalidArgument("schema: edge_types must be a map" + Where(types));
    }
    if (types) {
      for (const auto& entry : types) {
        EdgeTypeDef def;
        def.name = entry.first.as<std::string>();
        const std::string owner = "edge type '" + def.name + "'";
        if (FindByName(schema->edge_types_, def.name, "edge type").ok()) {
          return InvalidArgument("schema: " + owner + " declared twice" + Where(entry.first));
        }
        const YAML::Node body = entry.second;
        if (!body.IsMap())
          return InvalidArgument("schema: " + owner + " must be a map" + Where(body));
        for (const char* side : {"from", "to"}) {
          std::vector<std::string> names;
          CG_RETURN_IF_ERROR(ParseNameList(body[side], "schema: " + owner + " " + side, &names));
          if (names.empty()) {
            return InvalidArgument("schema: " + owner + " needs a non-empty '" + side + "' list" +
                                   Where(body));
          }
          for (const auto& name : names) {
            auto label = schema->FindLabel(name);
            if (!label.ok()) {
              return InvalidArgument("schema: " + owner + " " + side + " undeclared label '" +
                                     name + "'" + Where(body[side]));
            }
            (std::string_view(side) == "from" ? def.from : def.to).push_back(*label);
          }
        }
        CG_RETURN_IF_ERROR(
            ParseProperties(body["properties"], "schema: " + owner, &def.properties));
        schema->edge_types_.push_back(std::move(def));
      }
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument("schema: " + std::string(e.what()));
  }
  return std::shared_ptr<const Schema>(std::move(schema));
}

StatusOr<std::shared_ptr<const Schema>> Schema::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read schema file '" + path + "'");
  std::stringstream buf;
  buf << in.rdbuf();
  auto schema = Parse(buf.str());
  if (!schema.ok()) return schema.status().WithContext(path);
  return schema;
}

StatusOr<LabelId> Schema::FindLabel(std::string_view name) const {
  return FindByName(labels_, name, "label");
}

StatusOr<EdgeTypeId> Schema::FindEdgeType(std::string_view name) const {
  return FindByName(edge_types_, name, "edge type");
}

StatusOr<KeyKindId> Schema::FindKeyKind(std::string_view name) const {
  for (size_t i = 0; i < key_kinds_.size(); ++i) {
    if (key_kinds_[i] == name) return static_cast<KeyKindId>(i);
  }
  return NotFound("key kind '" + std::string(name) + "' is not in the schema");
}

StatusOr<PropId> Schema::FindVertexProperty(LabelId label, std::string_view name) const {
  if (label >= labels_.size()) return NotFound("label id " + std::to_string(label) + " unknown");
  auto found = FindByName(labels_[label].properties, name, "property");
  if (!found.ok()) return NotFound(labels_[label].name + ": " + found.status().message());
  return found;
}

StatusOr<PropId> Schema::FindEdgeProperty(EdgeTypeId type, std::string_view name) const {
  if (type >= edge_types_.size()) {
    return NotFound("edge type id " + std::to_string(type) + " unknown");
  }
  auto found = FindByName(edge_types_[type].properties, name, "property");
  if (!found.ok()) return NotFound(edge_types_[type].name + ": " + found.status().message());
  return found;
}

Status Schema::CheckVertexProperty(LabelId label, PropId prop, const Value& value) const {
  if (label >= labels_.size())
    return InvalidArgument("label id " + std::to_string(label) + " unknown");
  const LabelDef& def = labels_[label];
  if (prop >= def.properties.size()) {
    return InvalidArgument("label '" + def.name + "' has no property id " + std::to_string(prop));
  }
  const PropertyDef& p = def.properties[prop];
  if (std::holds_alternative<std::monostate>(value) || TypeOf(value) != p.type) {
    return InvalidArgument(TypeMismatch("label '" + def.name + "'", p, value));
  }
  return Status::OK();
}

Status Schema::CheckEdge(EdgeTypeId type, LabelId from, LabelId to, const Properties& props) const {
  if (type >= edge_types_.size()) {
    return InvalidArgument("edge type id " + std::to_string(type) + " unknown");
  }
  const EdgeTypeDef& def = edge_types_[type];
  auto label_name = [&](LabelId l) {
    if (l < labels_.size()) return labels_[l].name;
    std::string id = std::to_string(l);
    id.insert(id.begin(), '#');
    return id;
  };
  if (std::find(def.from.begin(), def.from.end(), from) == def.from.end()) {
    return InvalidArgument("edge type '" + def.name + "' may not start at label '" +
                           label_name(from) + "'");
  }
  if (std::find(def.to.begin(), def.to.end(), to) == def.to.end()) {
    return InvalidArgument("edge type '" + def.name + "' may not end at label '" + label_name(to) +
                           "'");
  }
  for (const auto& [prop, value] : props) {
    if (prop >= def.properties.size()) {
      return InvalidArgument("edge type '" + def.name + "' has no property id " +
                             std::to_string(prop));
    }
    const PropertyDef& p = def.properties[prop];
    if (std::holds_alternative<std::monostate>(value) || TypeOf(value) != p.type) {
      return InvalidArgument(TypeMismatch("edge type '" + def.name + "'", p, value));
    }
  }
  return Status::OK();
}

Status Schema::CheckKey(LabelId label, KeyKindId kind) const {
  if (label >= labels_.size())
    return InvalidArgument("label id " + std::to_string(label) + " unknown");
  if (kind >= key_kinds_.size()) {
    return InvalidArgument("key kind id " + std::to_string(kind) + " unknown");
  }
  const LabelDef& def = labels_[label];
  if (std::find(def.key_kinds.begin(), def.key_kinds.end(), kind) == def.key_kinds.end()) {
    return InvalidArgument("label '" + def.name + "' may not carry key kind '" + key_kinds_[kind] +
                           "'");
  }
  return Status::OK();
}

}  // namespace citygraph
