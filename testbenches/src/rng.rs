//! Seeded randomness for reproducible stimuli.
//!
//! Every test draws its seed from [`seed_for`]: by default a fixed value
//! derived from the test's name, so CI runs are repeatable; `LAUBERHORN_SEED`
//! (a number, or `random`) overrides it. The seed is printed when a test that
//! holds a [`SeedReport`] panics, so a failure can be replayed with
//! `LAUBERHORN_SEED=<seed> cargo test <name>`.

/// The seed for the test called `name`: `LAUBERHORN_SEED` when set (a decimal
/// or `0x` hex number, or `random` for a fresh one), else a hash of `name`.
pub fn seed_for(name: &str) -> u64 {
    match std::env::var("LAUBERHORN_SEED") {
        Ok(v) if v == "random" => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            splitmix(t ^ u64::from(std::process::id()))
        }
        Ok(v) if !v.is_empty() => {
            parse_seed(&v).unwrap_or_else(|| panic!("LAUBERHORN_SEED={v} is not a number"))
        }
        _ => name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        }),
    }
}

fn parse_seed(v: &str) -> Option<u64> {
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// Prints the seed of a test when it is dropped during a panic.
#[derive(Debug)]
pub struct SeedReport {
    name: String,
    seed: u64,
}

impl SeedReport {
    /// Reports `seed` for `name` if the current thread panics while this lives.
    pub fn new(name: &str, seed: u64) -> SeedReport {
        SeedReport {
            name: name.to_string(),
            seed,
        }
    }
}

impl Drop for SeedReport {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "{}: failed with seed {:#x}; reproduce with LAUBERHORN_SEED={:#x}",
                self.name, self.seed, self.seed
            );
        }
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A small, fast pseudo-random generator (xoshiro256**).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole sequence is decided by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut s = [0; 4];
        for w in &mut s {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            *w = splitmix(x);
        }
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0)");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        assert!(lo <= hi, "Rng::range({lo}, {hi})");
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        percent >= 100 || self.below(100) < u64::from(percent)
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n + 8);
        while v.len() < n {
            v.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        v.truncate(n);
        v
    }

    /// A random element of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Shuffles `items` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(43).next_u64(), xs[0]);
    }

    #[test]
    fn below_and_chance_cover_their_ranges() {
        let mut r = Rng::new(1);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[r.below(7) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
        let hits = (0..10_000).filter(|_| r.chance(30)).count();
        assert!((2700..3300).contains(&hits), "{hits}");
        assert!((0..100).all(|_| r.chance(100)) && !(0..100).any(|_| r.chance(0)));
    }

    #[test]
    fn seeds_differ_by_name_and_parse() {
        assert_ne!(seed_for("a"), seed_for("b"));
        assert_eq!(parse_seed("0x10"), Some(16));
        assert_eq!(parse_seed("17"), Some(17));
        assert_eq!(parse_seed("x"), None);
    }
}
