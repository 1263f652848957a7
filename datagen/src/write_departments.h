// Writes the department files of README.md ("Department files") from the
// world. Each returns false with ctx->error set on an I/O failure.
#ifndef CITYGRAPH_DATAGEN_SRC_WRITE_DEPARTMENTS_H_
#define CITYGRAPH_DATAGEN_SRC_WRITE_DEPARTMENTS_H_

#include "table_writer.h"
#include "world.h"

namespace citygraph::datagen::internal {

bool WriteHukou(const World& w, WriteContext* ctx);
bool WriteProperty(const World& w, WriteContext* ctx);
bool WriteBusinesses(const World& w, WriteContext* ctx);
bool WriteVehicles(const World& w, WriteContext* ctx);
bool WriteDibao(const World& w, WriteContext* ctx);
bool WriteCourt(const World& w, WriteContext* ctx);
bool WriteGridStructure(const World& w, WriteContext* ctx);
// Sets Report::line of every report.
bool WriteReports(World* w, WriteContext* ctx);
bool WriteTelecom(const World& w, WriteContext* ctx);

// Helpers shared with the truth writers.
std::string Money(int64_t fen);       // "1234.56"
std::string ReportFileName(Day day);  // "grid/reports/grid_reports_20240101.csv"

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_WRITE_DEPARTMENTS_H_
