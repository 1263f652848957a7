// Template part of handler.h: digests of Thrift values.
#ifndef CITYGRAPH_API_SRC_DIGEST_IMPL_H_
#define CITYGRAPH_API_SRC_DIGEST_IMPL_H_

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

namespace citygraph::api::internal {

template <typename T>
std::string DigestOf(std::string_view method, const T& value) {
  auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TBinaryProtocol proto(buffer);
  value.write(&proto);
  return DigestOfBytes(method, buffer->getBufferAsString());
}

}  // namespace citygraph::api::internal

#endif  // CITYGRAPH_API_SRC_DIGEST_IMPL_H_
