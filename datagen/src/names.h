// Word lists: weighted Chinese surnames, given-name characters, syllables for
// street/community/road names, business words, vehicle brands.
#ifndef CITYGRAPH_DATAGEN_SRC_NAMES_H_
#define CITYGRAPH_DATAGEN_SRC_NAMES_H_

#include <string>

#include "rng.h"

namespace citygraph::datagen::internal {

std::string RandomSurname(Rng& rng);
// One or two given-name characters, by sex (1 male, 0 female).
std::string RandomGivenName(Rng& rng, int sex);
// Two syllables for a place name (e.g. "水果"), without suffix.
std::string RandomPlaceStem(Rng& rng);
// A shop or company trade name stem (e.g. "鑫源").
std::string RandomTradeStem(Rng& rng);
// A business line (e.g. "餐饮店", "商贸有限公司" when company).
std::string RandomBusinessLine(Rng& rng, bool company);
const char* RandomBrand(Rng& rng);
const char* RandomEthnic(Rng& rng);

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_NAMES_H_
