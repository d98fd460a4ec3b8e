import EventLabShell
import Foundation

/// The interactive loop. (Line editing arrives with the LineEditor target.)
struct Repl {
    let shell: Shell

    func run() {
        while !shell.wantsExit {
            FileHandle.standardOutput.write(Data("eventlab> ".utf8))
            guard let line = readLine() else { break }
            shell.execute(line)
        }
    }
}
