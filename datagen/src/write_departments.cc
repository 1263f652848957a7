#include "write_departments.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace citygraph::datagen::internal {
namespace {

std::string Hundredths(int64_t v) {
  std::string s = std::to_string(v / 100) + ".";
  const int64_t r = v % 100;
  if (r < 10) s.push_back('0');
  return s + std::to_string(r);
}

std::string PhoneOf(const World& w, uint32_t person) {
  const int32_t ph = w.persons[person].phone;
  return ph == kNone ? std::string() : w.phones[ph].number;
}

const std::string& StreetName(const World& w, uint32_t grid) {
  return w.areas[w.areas[w.GridArea(grid).parent].parent].name;
}

}  // namespace

std::string Money(int64_t fen) { return Hundredths(fen); }

std::string ReportFileName(Day day) {
  return "grid/reports/grid_reports_" + FormatDate(day, DateStyle::kCompact) + ".csv";
}

bool WriteHukou(const World& w, WriteContext* ctx) {
  TableWriter t(ctx, "police/hukou_persons.csv", "公安局户政", Format::kCsv, Encoding::kGb18030,
                DateStyle::kChinese,
                {"户号", "户别", "与户主关系", "姓名", "性别", "民族", "出生日期", "公民身份号码",
                 "户籍地址", "房屋产权证号", "登记日期", "迁出日期"});
  if (!t.Open()) return false;
  for (const Household& hh : w.households) {
    const House& house = w.houses[hh.house];
    for (uint32_t p = hh.first_member; p < hh.first_member + hh.size; ++p) {
      const Person& person = w.persons[p];
      t.Text(hh.no);
      t.Text("家庭户");
      t.Text(RelationName(person.relation));
      t.Text(person.name);
      t.Text(person.sex ? "男" : "女");
      t.Text(person.ethnic);
      t.Date(person.birth);
      t.Id(person.id, false);
      t.Text(house.address);
      t.Text(house.cert);
      t.Date(person.member_from);
      t.Date(kNever);
      t.Entity("person", person.id);
      t.EndRow();
    }
  }
  return t.Close();
}

bool WriteProperty(const World& w, WriteContext* ctx) {
  TableWriter t(
      ctx, "housing/property_rights.csv", "不动产登记中心", Format::kCsv, Encoding::kUtf8,
      DateStyle::kSlash,
      {"不动产权证号", "房屋坐落", "所在区", "幢号", "单元号", "房号", "建筑面积", "网格编码",
       "权利人", "权利人证件号", "联系电话", "共有方式", "共有份额", "登记日期", "注销日期"});
  if (!t.Open()) return false;
  std::vector<uint32_t> order(w.ownerships.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Ownership &x = w.ownerships[a], &y = w.ownerships[b];
    return std::tie(x.house, x.from) < std::tie(y.house, y.from);
  });
  for (uint32_t i : order) {
    const Ownership& o = w.ownerships[i];
    const House& h = w.houses[o.house];
    const Person& owner = w.persons[o.owner];
    t.Text(h.cert);
    t.Text(h.address);
    t.Text(w.areas[w.GridArea(h.grid).district].name);
    t.Text(std::to_string(h.building));
    t.Text(std::to_string(h.unit));
    t.Text(std::to_string(h.room));
    t.Text(Hundredths(h.area_dm2));
    t.Text(w.GridArea(h.grid).code);
    t.Text(owner.name);
    t.Id(owner.id, true);
    t.Text(PhoneOf(w, o.owner));
    t.Text(o.share_pct == 100 ? "单独所有" : "按份共有");
    t.Text(Hundredths(o.share_pct));
    t.Date(o.from);
    t.Date(o.to);
    t.Entity("person", owner.id);
    t.EndRow();
  }
  return t.Close();
}

bool WriteBusinesses(const World& w, WriteContext* ctx) {
  TableWriter t(ctx, "market/business_registry.tsv", "市场监督管理局", Format::kTsv,
                Encoding::kUtf8, DateStyle::kCompact,
                {"统一社会信用代码", "名称", "市场主体类型", "法定代表人", "证件号码", "联系电话",
                 "经营场所", "网格编码", "成立日期", "登记状态", "吊销注销日期"});
  if (!t.Open()) return false;
  static const char* kStatus[] = {"存续", "吊销", "注销"};
  for (const Business& b : w.businesses) {
    const Person& rep = w.persons[b.rep];
    t.Credit(b.code);
    t.Text(b.name);
    t.Text(b.individual ? "个体工商户" : "有限责任公司");
    t.Text(rep.name);
    t.Id(rep.id, true);
    t.Text(PhoneOf(w, b.rep));
    t.Text(b.address);
    t.Text(w.GridArea(b.grid).code);
    t.Date(b.established);
    t.Text(kStatus[b.status]);
    t.Date(b.ended);
    t.Entity("person", rep.id);
    t.EndRow();
  }
  return t.Close();
}

bool WriteVehicles(const World& w, WriteContext* ctx) {
  TableWriter t(ctx, "vehicles/motor_vehicles.jsonl", "公安局交通管理局车管所", Format::kJsonl,
                Encoding::kUtf8, DateStyle::kIso,
                {"hphm", "hpzl", "clpp", "cllx", "syrlx", "syr", "sfzmhm", "lxdh", "zsxxdz",
                 "ccdjrq", "djrq", "zxrq", "zt"});
  if (!t.Open()) return false;
  static const char* kTypes[] = {"小型轿车", "小型普通客车", "轻型货车"};
  static const char* kState[] = {"正常", "已转出", "已注销"};
  std::vector<uint32_t> order(w.vehicle_owns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const VehicleOwnership &x = w.vehicle_owns[a], &y = w.vehicle_owns[b];
    return std::tie(x.vehicle, x.from) < std::tie(y.vehicle, y.from);
  });
  for (uint32_t i : order) {
    const VehicleOwnership& o = w.vehicle_owns[i];
    const Vehicle& v = w.vehicles[o.vehicle];
    t.Text(v.plate);
    t.Text(v.new_energy ? "52" : "02");
    t.Text(v.brand);
    t.Text(kTypes[v.type]);
    if (o.business) {
      const Business& b = w.businesses[o.owner];
      t.Text("单位");
      t.Text(b.name);
      t.Credit(b.code);
      t.Text(PhoneOf(w, b.rep));
      t.Text(b.address);
      t.Entity("business", b.code);
    } else {
      const Person& p = w.persons[o.owner];
      t.Text("个人");
      t.Text(p.name);
      t.Id(p.id, true);
      t.Text(PhoneOf(w, o.owner));
      t.Text(w.HukouAddress(o.owner));
      t.Entity("person", p.id);
    }
    t.Date(v.first_reg);
    t.Date(o.from);
    t.Date(o.to);
    t.Text(kState[o.end_kind]);
    t.EndRow();
  }
  return t.Close();
}

bool WriteDibao(const World& w, WriteContext* ctx) {
  TableWriter t(ctx, "civil/dibao_recipients.csv", "民政局社会救助", Format::kCsv,
                Encoding::kGb18030, DateStyle::kChinese,
                {"低保证编号", "户号", "申请人姓名", "申请人身份证号", "家庭人口", "月保障金额",
                 "所属街道", "家庭住址", "起始日期", "终止日期"});
  if (!t.Open()) return false;
  for (const Dibao& d : w.dibao) {
    const Household& hh = w.households[d.household];
    const Person& head = w.persons[hh.first_member];
    const House& house = w.houses[hh.house];
    t.Text(d.cert);
    t.Text(hh.no);
    t.Text(head.name);
    t.Id(head.id, false);
    t.Text(std::to_string(hh.size));
    t.Text(Hundredths(d.amount_fen));
    t.Text(StreetName(w, house.grid));
    t.Text(house.address);
    t.Date(d.from);
    t.Date(d.to);
    t.Entity("person", head.id);
    t.EndRow();
  }
  return t.Close();
}

bool WriteCourt(const World& w, WriteContext* ctx) {
  TableWriter t(ctx, "court/execution_cases.csv", "法院执行局", Format::kCsv, Encoding::kUtf8,
                DateStyle::kIso,
                {"案号", "执行法院", "立案日期", "结案日期", "案件状态", "执行标的金额",
                 "当事人类型", "当事人名称", "证件号码", "当事人地址"});
  if (!t.Open()) return false;
  static const char* kStatus[] = {"执行中", "终结本次执行程序", "执行完毕"};
  for (const Case& c : w.cases) {
    for (const CaseParty& party : c.parties) {
      t.Text(c.no);
      t.Text("武汉市" + w.areas[c.district].name + "人民法院");
      t.Date(c.filed);
      t.Date(c.closed);
      t.Text(kStatus[c.status]);
      t.Text(Hundredths(c.amount_fen));
      t.Text(party.debtor ? "被执行人" : "申请执行人");
      if (party.business) {
        const Business& b = w.businesses[party.entity];
        t.Text(b.name);
        t.Credit(b.code);
        t.Text(b.address);
        t.Entity("business", b.code);
      } else {
        const Person& p = w.persons[party.entity];
        t.Text(p.name);
        t.Id(p.id, true);
        t.Text(w.HukouAddress(party.entity));
        t.Entity("person", p.id);
      }
      t.EndRow();
    }
  }
  return t.Close();
}

bool WriteGridStructure(const World& w, WriteContext* ctx) {
  {
    TableWriter t(ctx, "grid/grid_areas.csv", "网格化服务管理中心", Format::kCsv, Encoding::kUtf8,
                  DateStyle::kIso, {"区划编码", "名称", "层级", "上级编码"});
    t.DisableRowNoise();
    if (!t.Open()) return false;
    static const char* kLevel[] = {"区", "街道", "社区", "网格"};
    for (const Area& a : w.areas) {
      t.Text(a.code);
      t.Text(a.name);
      t.Text(kLevel[static_cast<int>(a.level)]);
      t.Text(a.parent == kNone ? std::string() : w.areas[a.parent].code);
      t.EndRow();
    }
    if (!t.Close()) return false;
  }
  TableWriter t(ctx, "grid/grid_workers.csv", "网格化服务管理中心", Format::kCsv, Encoding::kUtf8,
                DateStyle::kIso, {"工号", "姓名", "手机号码", "所属网格", "上岗日期"});
  t.DisableRowNoise();
  if (!t.Open()) return false;
  for (const Worker& wk : w.workers) {
    t.Text(wk.no);
    t.Text(wk.name);
    t.Text(wk.phone);
    t.Text(w.GridArea(wk.grid).code);
    t.Date(wk.since);
    t.EndRow();
  }
  return t.Close();
}

bool WriteReports(World* w, WriteContext* ctx) {
  static const char* kKinds[] = {"出租登记", "入户走访", "安全隐患"};
  static const char* kHazards[] = {"楼道堆放杂物", "电动车违规充电", "消防通道堵塞", "燃气管道老化",
                                   "外墙空鼓脱落"};
  size_t next = 0;
  for (Day day = kWindowFirst; day <= kWindowLast; ++day) {
    TableWriter t(ctx, ReportFileName(day), "网格化服务管理中心", Format::kCsv, Encoding::kUtf8,
                  DateStyle::kIso,
                  {"上报编号", "上报日期", "网格员工号", "网格编码", "事件类型", "房屋产权证号",
                   "地址", "姓名", "身份证号", "联系电话", "描述"});
    if (!t.Open()) return false;
    for (; next < w->reports.size() && w->reports[next].date == day; ++next) {
      Report& r = w->reports[next];
      const House& h = w->houses[r.house];
      t.Text(r.no);
      t.Date(r.date);
      t.Text(w->workers[r.worker].no);
      t.Text(w->GridArea(r.grid).code);
      t.Text(kKinds[r.kind]);
      t.Text(h.cert);
      t.Text(h.address);
      if (r.person == kNone) {
        t.Text("");
        t.Text("");
        t.Text("");
        t.Text(kHazards[(next * 7) % std::size(kHazards)]);
        t.Entity("house", h.cert);
      } else {
        const Person& p = w->persons[r.person];
        t.Text(p.name);
        t.Id(p.id, true);
        t.Text(PhoneOf(*w, static_cast<uint32_t>(r.person)));
        t.Text(r.kind == kRental ? "登记出租屋承租人" : "入户走访，本人在此居住");
        t.Entity("person", p.id);
      }
      r.line = t.EndRow();
    }
    if (!t.Close()) return false;
  }
  return true;
}

bool WriteTelecom(const World& w, WriteContext* ctx) {
  TableWriter t(
      ctx, "telecom/mobile_subscribers.csv", "通信管理局", Format::kCsv, Encoding::kUtf8,
      DateStyle::kCompact,
      {"手机号码", "机主姓名", "证件类型", "证件号码", "入网日期", "销户日期", "登记地址"});
  if (!t.Open()) return false;
  for (const Phone& ph : w.phones) {
    const Person& p = w.persons[ph.person];
    t.Text(ph.number);
    t.Text(p.name);
    t.Text("居民身份证");
    t.Id(p.id, true);
    t.Date(ph.from);
    t.Date(ph.to);
    t.Text(w.houses[ph.addr_house].address);
    t.Entity("person", p.id);
    t.EndRow();
  }
  return t.Close();
}

}  // namespace citygraph::datagen::internal
