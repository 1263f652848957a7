#include "names.h"

#include <array>
#include <string_view>
#include <vector>

namespace citygraph::datagen::internal {
namespace {

struct WeightedSurname {
  const char* name;
  double weight;  // rough share of the population, percent
};

// Common surnames with approximate national frequencies (percent).
constexpr WeightedSurname kSurnames[] = {
    {"王", 7.1}, {"李", 7.0}, {"张", 6.8},    {"刘", 5.4},   {"陈", 4.6}, {"杨", 3.1}, {"黄", 2.2},
    {"赵", 2.0}, {"吴", 2.0}, {"周", 1.9},    {"徐", 1.5},   {"孙", 1.5}, {"马", 1.4}, {"朱", 1.3},
    {"胡", 1.3}, {"郭", 1.1}, {"何", 1.1},    {"高", 1.0},   {"林", 1.0}, {"罗", 0.9}, {"郑", 0.9},
    {"梁", 0.8}, {"谢", 0.7}, {"宋", 0.7},    {"唐", 0.7},   {"许", 0.6}, {"韩", 0.6}, {"冯", 0.6},
    {"邓", 0.6}, {"曹", 0.6}, {"彭", 0.6},    {"曾", 0.5},   {"肖", 0.5}, {"田", 0.5}, {"董", 0.5},
    {"袁", 0.5}, {"潘", 0.4}, {"于", 0.4},    {"蒋", 0.4},   {"蔡", 0.4}, {"余", 0.4}, {"杜", 0.4},
    {"叶", 0.4}, {"程", 0.4}, {"苏", 0.3},    {"魏", 0.3},   {"吕", 0.3}, {"丁", 0.3}, {"任", 0.3},
    {"沈", 0.3}, {"姚", 0.3}, {"卢", 0.3},    {"姜", 0.3},   {"崔", 0.3}, {"钟", 0.3}, {"谭", 0.3},
    {"陆", 0.2}, {"汪", 0.2}, {"范", 0.2},    {"金", 0.2},   {"石", 0.2}, {"廖", 0.2}, {"贾", 0.2},
    {"夏", 0.2}, {"韦", 0.2}, {"付", 0.2},    {"方", 0.2},   {"白", 0.2}, {"邹", 0.2}, {"孟", 0.2},
    {"熊", 0.2}, {"秦", 0.2}, {"邱", 0.2},    {"江", 0.2},   {"尹", 0.2}, {"薛", 0.2}, {"闫", 0.2},
    {"段", 0.2}, {"雷", 0.2}, {"侯", 0.2},    {"龙", 0.2},   {"史", 0.2}, {"陶", 0.1}, {"黎", 0.1},
    {"贺", 0.1}, {"顾", 0.1}, {"毛", 0.1},    {"郝", 0.1},   {"龚", 0.1}, {"邵", 0.1}, {"万", 0.1},
    {"钱", 0.1}, {"严", 0.1}, {"覃", 0.1},    {"武", 0.1},   {"戴", 0.1}, {"莫", 0.1}, {"孔", 0.1},
    {"向", 0.1}, {"汤", 0.1}, {"欧阳", 0.05}, {"诸葛", 0.01}};

constexpr std::array kMaleChars = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
    "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙",
    "林", "阳", "建", "国", "志", "文", "海", "东", "亮", "峰", "晨", "博", "子", "轩",
    "然", "睿", "泽", "成", "新", "春", "德", "武", "汉", "荣", "兵", "昊", "天", "振"};
constexpr std::array kFemaleChars = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "燕", "婷", "雪",
    "琳", "慧", "红", "梅", "兰", "萍", "洁", "颖", "倩", "璐", "欣", "怡", "佳", "悦",
    "晶", "蕾", "月", "云", "凤", "桂", "珍", "莉", "雯", "琴", "薇", "诗", "涵", "萱",
    "梦", "瑶", "思", "雨", "晓", "文", "春", "小", "楠", "琪", "彤", "可", "妍", "露"};
constexpr std::array kPlaceChars = {
    "水", "果", "湖", "中", "南", "首", "义", "紫", "阳", "徐", "东", "积", "玉", "桥",
    "杨", "园", "珞", "珈", "山", "洪", "关", "卓", "刀", "青", "和", "平", "红", "钢",
    "建", "设", "丹", "花", "民", "族", "唐", "家", "墩", "汉", "兴", "常", "青", "宝",
    "丰", "荣", "华", "新", "安", "福", "永", "清", "古", "田", "龟", "北", "晴", "川",
    "江", "堤", "黄", "浦", "台", "鹦", "鹉", "洲", "沙", "湾", "月", "亮", "梅", "岭"};
constexpr std::array kTradeChars = {"鑫", "源", "盛", "达", "恒", "通", "兴", "隆", "发", "顺",
                                    "汇", "信", "诚", "佳", "华", "宏", "德", "泰", "康", "瑞",
                                    "祥", "富", "利", "嘉", "美", "新", "博", "创"};
constexpr std::array kShopLines = {"餐饮店", "便利店",   "五金店",     "理发店",     "服装店",
                                   "水果店", "热干面馆", "汽车修理部", "建材经营部", "日用品商店",
                                   "早点摊", "烟酒店",   "药店",       "电器维修部"};
constexpr std::array kCompanyLines = {"商贸有限公司",     "科技有限公司",     "建筑工程有限公司",
                                      "物流有限公司",     "餐饮管理有限公司", "信息技术有限公司",
                                      "装饰工程有限公司", "贸易有限公司"};
constexpr std::array kBrands = {"大众", "丰田", "本田", "日产",   "别克", "比亚迪", "吉利",
                                "长安", "东风", "奇瑞", "宝马",   "奔驰", "奥迪",   "哈弗",
                                "五菱", "现代", "起亚", "雪铁龙", "标致", "特斯拉"};

const std::vector<double>& SurnameCumulative() {
  static const std::vector<double> cum = [] {
    std::vector<double> c;
    double sum = 0;
    for (const auto& s : kSurnames) {
      sum += s.weight;
      c.push_back(sum);
    }
    return c;
  }();
  return cum;
}

template <typename Array>
const char* Pick(Rng& rng, const Array& a) {
  return a[rng.Below(a.size())];
}

}  // namespace

std::string RandomSurname(Rng& rng) { return kSurnames[rng.Weighted(SurnameCumulative())].name; }

std::string RandomGivenName(Rng& rng, int sex) {
  std::string s;
  const int len = rng.Chance(0.7) ? 2 : 1;
  for (int i = 0; i < len; ++i) s += sex ? Pick(rng, kMaleChars) : Pick(rng, kFemaleChars);
  return s;
}

std::string RandomPlaceStem(Rng& rng) {
  return std::string(Pick(rng, kPlaceChars)) + Pick(rng, kPlaceChars);
}

std::string RandomTradeStem(Rng& rng) {
  return std::string(Pick(rng, kTradeChars)) + Pick(rng, kTradeChars);
}

std::string RandomBusinessLine(Rng& rng, bool company) {
  return company ? Pick(rng, kCompanyLines) : Pick(rng, kShopLines);
}

const char* RandomBrand(Rng& rng) { return Pick(rng, kBrands); }

const char* RandomEthnic(Rng& rng) {
  const uint64_t x = rng.Below(1000);
  if (x < 960) return "汉";
  if (x < 975) return "土家";
  if (x < 985) return "回";
  if (x < 993) return "苗";
  return "满";
}

}  // namespace citygraph::datagen::internal
