@testable import EventLabShell
import Testing

@Suite("How far a reader has read a partition, in the offsets of records")
struct OffsetTextTests {
    @Test("@N always names a record: the last read, the last held, or the first not read")
    func records() {
        #expect(OffsetText.read(position: 0, logStart: 0, logEnd: 0) == "(empty)")
        #expect(OffsetText.read(position: 2, logStart: 0, logEnd: 2) == "up to @1")
        #expect(OffsetText.read(position: 3, logStart: 0, logEnd: 4) == "up to @2 of @3")
        #expect(OffsetText.read(position: 0, logStart: 0, logEnd: 8) == "none of @0–@7")
        #expect(OffsetText.read(position: 0, logStart: 7, logEnd: 8) == "none of @7")
    }

    @Test("records retention deleted are neither read nor behind")
    func retention() {
        // @0–@3 deleted before it read them: resuming reads @4–@7.
        #expect(OffsetText.read(position: 0, logStart: 4, logEnd: 8) == "none of @4–@7")
        #expect(OffsetText.read(position: 6, logStart: 4, logEnd: 8) == "up to @5 of @7")
        // Every record deleted: it read none of them, and there is nothing left to read.
        #expect(OffsetText.read(position: 0, logStart: 8, logEnd: 8) == "(nothing left: retention deleted up to @7)")
        // Read, or passed over once deleted: the position cannot tell, so it says what is left.
        #expect(OffsetText.read(position: 8, logStart: 8, logEnd: 8) == "(nothing left: retention deleted up to @7)")
    }
}
