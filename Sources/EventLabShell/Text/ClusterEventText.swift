import EventLabCore

/// The words for what the cluster did: elections, ISR changes, truncations, acknowledgements.
public enum ClusterEventText {
    /// One line telling of `event`.
    public static func line(_ event: ClusterEvent) -> String {
        "\(event)"
    }
}
