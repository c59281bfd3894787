//! Work spread over threads with results in input order, so that what the crate returns never
//! depends on how many threads computed it.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` of every item, in item order, on up to `threads` threads that take chunks of
/// items in turn (so a thread that drew cheap subjects takes more).
pub(crate) fn map_in_order<'a, Item: Sync, Output: Send>(
    threads: NonZeroUsize,
    items: &'a [Item],
    work: impl Fn(&'a Item) -> Output + Sync,
) -> Vec<Output> {
    // Small, so that even a few expensive items (series to adjust by STL) spread out.
    const CHUNK: usize = 4;
    let threads = threads.get().min(items.len().div_ceil(CHUNK));
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next_chunk = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
            let Some(part) = items.chunks(CHUNK).nth(chunk) else {
                return done;
            };
            done.push((chunk, part.iter().map(&work).collect::<Vec<_>>()));
        }
    };
    let mut chunks: Vec<(usize, Vec<Output>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        workers
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    chunks.sort_unstable_by_key(|(chunk, _)| *chunk);
    chunks
        .into_iter()
        .flat_map(|(_, outputs)| outputs)
        .collect()
}
