extension Array {
    /// Appends `element`, growing a full array by a quarter instead of doubling it.
    ///
    /// For the arrays of a table that ALTER TABLE adds to one element at a time (its columns, its
    /// constraints): doubled, they would hold on average a quarter of their capacity unused until
    /// the end of the run, and each table keeps its own.
    mutating func appendGrowingByAQuarter(_ element: Element) {
        if count == capacity { reserveCapacity(count + Swift.max(2, count / 4)) }
        append(element)
    }
}
