package io.streamingworkshop.datagen;

import java.time.LocalDate;

/**
 * The fixed world the events happen in: devices, users and products. It does not depend on the
 * run's seed, and entry {@code i} does not depend on how many entries there are, so the users and
 * products dimensions match the ids of every event run made with the same (or a larger) size.
 */
final class Catalog {

    /** Not the run's seed: the catalog is the same for every run. */
    private static final long CATALOG_SEED = 20240501L;

    private static final String[] SITES = {
        "plant-berlin", "plant-lyon", "warehouse-austin", "plant-pune", "port-rotterdam", "lab-oslo"
    };
    private static final long[][] SITE_COORDINATES_E4 = {
        {525200, 134050}, {457640, 48357}, {302672, -977431}, {185204, 738567}, {519244, 44777}, {599139, 107522}
    };

    private static final String[] FIRST_NAMES = {
        "Ada", "Alan", "Amara", "Bruno", "Chen", "Dara", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
        "Kenji", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tara", "Umar", "Yara"
    };
    private static final String[] LAST_NAMES = {
        "Almeida", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
        "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka",
        "Ueda", "Varga", "Weber", "Zhang"
    };
    private static final String[] SEGMENTS = {"new", "regular", "premium", "at_risk"};
    private static final int[] SEGMENT_WEIGHTS = {20, 45, 15, 20};
    private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "apac"};
    private static final int[] REGION_WEIGHTS = {25, 25, 20, 15, 15};
    private static final String[][] COUNTRIES = {
        {"FR", "ES", "PT", "IE", "GB"}, {"DE", "AT", "PL", "CZ", "CH"}, {"US"}, {"US"}, {"IN", "SG", "JP", "AU"}
    };
    private static final LocalDate FIRST_SIGNUP = LocalDate.of(2021, 1, 1);
    private static final int SIGNUP_DAYS = 1216; // up to 2024-04-30, before the default start

    static final String[] CATEGORIES = {"electronics", "books", "home", "fashion", "sports", "toys", "grocery", "beauty"
    };
    private static final long[][] PRICE_RANGE_CENTS = {
        {1999, 129999}, {599, 4999}, {999, 29999}, {1499, 19999}, {999, 49999}, {499, 9999}, {199, 2999}, {399, 7999}
    };
    private static final int[][] WEIGHT_RANGE_GRAMS = {
        {150, 4000}, {200, 1500}, {300, 9000}, {100, 1200}, {200, 8000}, {100, 2500}, {100, 3000}, {50, 600}
    };
    private static final String[][] NOUNS = {
        {"Headphones", "Tablet", "Smartwatch", "Speaker", "Camera"},
        {"Cookbook", "Novel", "Atlas", "Field Guide", "Anthology"},
        {"Lamp", "Kettle", "Blanket", "Chair", "Vase"},
        {"Jacket", "Sneakers", "Scarf", "Backpack", "Hoodie"},
        {"Yoga Mat", "Racket", "Bike Helmet", "Dumbbells", "Tent"},
        {"Puzzle", "Robot Kit", "Board Game", "Plush Fox", "Kite"},
        {"Coffee Beans", "Olive Oil", "Green Tea", "Granola", "Honey"},
        {"Face Cream", "Shampoo", "Perfume", "Lip Balm", "Soap Set"}
    };
    private static final String[] ADJECTIVES = {
        "Classic", "Smart", "Compact", "Deluxe", "Eco", "Pro", "Essential", "Urban", "Vintage", "Ultra"
    };
    private static final String[] BRANDS = {
        "Northwind", "Acme", "Globex", "Initech", "Umbra", "Vertex", "Lumen", "Solace", "Kestrel", "Orbit"
    };

    private Catalog() {}

    static Device[] devices(int count) {
        int width = Ids.width(count, 3);
        Device[] devices = new Device[count];
        for (int i = 0; i < count; i++) {
            SeededRandom r = SeededRandom.derive(CATALOG_SEED, "device", i);
            String id = Ids.padded("device-", i + 1, width);
            String[] sensors = new String[r.between(1, 3)];
            for (int s = 0; s < sensors.length; s++) {
                sensors[s] = id + "-s" + (s + 1);
            }
            int site = r.nextInt(SITES.length);
            boolean hot = r.chance(0.15);
            double base = hot ? 88 + r.nextDouble() * 11 : 18 + r.nextDouble() * 47;
            String environment = r.chance(0.75) ? "indoor" : "outdoor";
            String line = "line-" + r.between(1, 4);
            String[] tags =
                    r.chance(0.2) ? new String[] {environment, line, "critical"} : new String[] {environment, line};
            devices[i] = new Device(
                    id,
                    sensors,
                    SITES[site],
                    SITE_COORDINATES_E4[site][0] + r.between(-200, 200),
                    SITE_COORDINATES_E4[site][1] + r.between(-200, 200),
                    base,
                    1 + r.nextDouble() * 5,
                    300 + r.nextDouble() * 3300,
                    r.nextDouble(),
                    25 + r.nextDouble() * 50,
                    tags,
                    r.between(60, 100));
        }
        return devices;
    }

    static UserProfile[] users(int count) {
        int width = Ids.width(count, 4);
        UserProfile[] users = new UserProfile[count];
        for (int i = 0; i < count; i++) {
            SeededRandom r = SeededRandom.derive(CATALOG_SEED, "user", i);
            String name = r.pick(FIRST_NAMES) + " " + r.pick(LAST_NAMES);
            String segment = SEGMENTS[r.weighted(SEGMENT_WEIGHTS)];
            int region = r.weighted(REGION_WEIGHTS);
            String country = r.pick(COUNTRIES[region]);
            LocalDate signup = FIRST_SIGNUP.plusDays(r.nextInt(SIGNUP_DAYS));
            users[i] =
                    new UserProfile(Ids.padded("user-", i + 1, width), name, segment, REGIONS[region], country, signup);
        }
        return users;
    }

    static Product[] products(int count) {
        int width = Ids.width(count, 4);
        Product[] products = new Product[count];
        for (int i = 0; i < count; i++) {
            SeededRandom r = SeededRandom.derive(CATALOG_SEED, "product", i);
            int category = r.nextInt(CATEGORIES.length);
            String name = r.pick(ADJECTIVES) + " " + r.pick(NOUNS[category]);
            long[] price = PRICE_RANGE_CENTS[category];
            // Prices end in 99 cents, as shops like them.
            long cents = (price[0] + r.nextLong(price[1] - price[0] + 1)) / 100 * 100 + 99;
            int[] weight = WEIGHT_RANGE_GRAMS[category];
            products[i] = new Product(
                    Ids.padded("prod-", i + 1, width),
                    name,
                    CATEGORIES[category],
                    r.pick(BRANDS),
                    cents,
                    r.between(weight[0], weight[1]));
        }
        return products;
    }
}
