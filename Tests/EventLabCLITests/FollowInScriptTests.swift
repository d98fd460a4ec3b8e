import Testing

@Suite("consume --follow in a script")
struct FollowInScriptTests {
    @Test("--follow --max N in a script runs and ends after N records")
    func followWithMax() throws {
        let result = try EventLabRun.run(["--memory", "--clock", "logical", "-c", "topic create t; publish t a; publish t b; consume t --follow --max 2"])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("p0 @1  -  b  2024-01-01T00:00:00Z\n2 records\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test("--follow without --max in a script is refused, with advice the command does not already follow")
    func followWithoutMax() throws {
        let result = try EventLabRun.run(["--memory", "-c", "topic create t; consume t --follow"])
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 1: --follow waits for new records until Ctrl-C, so it needs a terminal; in a script add --max N to stop after N records\n")
    }
}
