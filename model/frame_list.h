// Intrusive doubly-linked list of block heads, linked by frame number through
// the FrameTable: the host-side equivalent of a kernel list_head of pages.
#pragma once

#include <cstdint>

#include "model/frame_table.h"

namespace buddysim::model {

struct FrameList {
  std::uint32_t head = NIL;
  std::uint32_t tail = NIL;
  std::uint32_t count = 0;

  bool empty() const { return head == NIL; }

  // list_add: insert at the head.
  void add(FrameTable &ft, Pfn pfn) {
    auto p = static_cast<std::uint32_t>(pfn);
    Frame &f = ft[pfn];
    f.prev = NIL;
    f.next = head;
    if (head != NIL) ft[head].prev = p; else tail = p;
    head = p;
    ++count;
  }

  // list_add_tail: insert at the tail.
  void add_tail(FrameTable &ft, Pfn pfn) {
    auto p = static_cast<std::uint32_t>(pfn);
    Frame &f = ft[pfn];
    f.next = NIL;
    f.prev = tail;
    if (tail != NIL) ft[tail].next = p; else head = p;
    tail = p;
    ++count;
  }

  void del(FrameTable &ft, Pfn pfn) {
    Frame &f = ft[pfn];
    if (f.prev != NIL) ft[f.prev].next = f.next; else head = f.next;
    if (f.next != NIL) ft[f.next].prev = f.prev; else tail = f.prev;
    --count;
  }
};

}  // namespace buddysim::model
