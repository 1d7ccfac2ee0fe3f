package io.streamingworkshop.datagen;

/**
 * Clicks in sessions. A fixed number of sessions are open at once (one per 20 users); each event
 * belongs to one of them, picked at random, and moves its user through the shop (home, search,
 * category, product, cart, checkout). A session ends after 6.5 pages on average and its user goes
 * quiet until picked again, so a user's clicks come in bursts separated by idle gaps: what
 * session windows find. Within a session, clicks are about {@code (users / 20) / rate} seconds
 * apart (1 s at the defaults); a user's sessions are on average about 19 session lengths apart
 * (two minutes at the defaults). Both scale with {@code 1 / rate}.
 */
final class ClickstreamSource implements EventSource {

    private static final String[] CATEGORY_NAMES = {"home", "search", "category", "product", "cart", "checkout"};
    private static final int HOME = 0;
    private static final int SEARCH = 1;
    private static final int CATEGORY = 2;
    private static final int PRODUCT = 3;
    private static final int CART = 4;
    private static final int CHECKOUT = 5;
    /** Where a session starts. */
    private static final int[] ENTRY_WEIGHTS = {40, 25, 15, 20, 0, 0};
    /** Where a visitor goes next, by the page category they are on. */
    private static final int[][] NEXT_WEIGHTS = {
        {5, 30, 40, 25, 0, 0},
        {5, 20, 15, 60, 0, 0},
        {10, 10, 15, 65, 0, 0},
        {5, 15, 20, 40, 20, 0},
        {20, 0, 0, 35, 0, 45},
        {60, 0, 0, 40, 0, 0}
    };
    /** Mean seconds on a page, by category. */
    private static final double[] MEAN_SECONDS = {8, 15, 20, 35, 25, 45};

    private static final double SAME_PAGE_CLICK_CHANCE = 0.15;
    private static final double MEAN_SESSION_LENGTH = 7;
    private static final String[] SEARCH_TERMS = {"headphones", "gift", "coffee", "running", "lamp", "puzzle", "sale"};
    private static final String[] REFERRERS = {"google", "direct", "newsletter", "ads", "social"};
    private static final int[] REFERRER_WEIGHTS = {40, 25, 15, 15, 5};

    private final UserProfile[] users;
    private final Product[] products;
    private final SeededRandom random;
    private final long events;
    private final int idWidth;
    private final Session[] open;
    private final boolean[] userInSession;
    private long sessionsStarted;

    private static final class Session {
        int user;
        String id;
        int category = -1;
        String page;
        int pagesLeft;
        String referrer;
    }

    ClickstreamSource(GeneratorOptions options) {
        this.users = Catalog.users(options.users());
        this.products = Catalog.products(options.products());
        this.random = SeededRandom.derive(options.seed(), "clickstream", "events");
        this.events = options.events();
        this.idWidth = Ids.width(events, 8);
        this.userInSession = new boolean[users.length];
        this.open = new Session[Math.max(1, users.length / 20)];
        for (int i = 0; i < open.length; i++) {
            open[i] = startSession();
        }
    }

    @Override
    public long count(RecordType type) {
        return type == RecordType.CLICK ? events : 0;
    }

    @Override
    public Event primary(long index, long timeNanos) {
        int slot = random.nextInt(open.length);
        Session session = open[slot];
        String eventType;
        if (session.category < 0) {
            moveTo(session, random.weighted(ENTRY_WEIGHTS));
            eventType = "page_view";
        } else if (random.chance(SAME_PAGE_CLICK_CHANCE)) {
            eventType = "click";
        } else {
            int next = random.weighted(NEXT_WEIGHTS[session.category]);
            moveTo(session, next);
            eventType = next == CART ? "add_to_cart" : next == CHECKOUT ? "purchase" : "page_view";
        }
        double seconds = Math.min(600, Math.max(0.5, random.exponential(MEAN_SECONDS[session.category])));
        Click click = new Click(
                Ids.padded("click-", index + 1, idWidth),
                timeNanos,
                users[session.user].id(),
                session.id,
                session.page,
                CATEGORY_NAMES[session.category],
                eventType,
                Math.round(seconds * 10),
                session.referrer);
        if (--session.pagesLeft <= 0) {
            userInSession[session.user] = false;
            open[slot] = startSession();
        }
        return click;
    }

    private void moveTo(Session session, int category) {
        session.category = category;
        switch (category) {
            case HOME:
                session.page = "/";
                break;
            case SEARCH:
                session.page = "/search?q=" + random.pick(SEARCH_TERMS);
                break;
            case CATEGORY:
                session.page = "/category/" + random.pick(Catalog.CATEGORIES);
                break;
            case PRODUCT:
                session.page = "/products/" + products[random.skewed(products.length)].id();
                break;
            case CART:
                session.page = "/cart";
                break;
            default:
                session.page = "/checkout";
                break;
        }
    }

    private Session startSession() {
        Session session = new Session();
        session.user = freeUser();
        userInSession[session.user] = true;
        session.id = Ids.padded("sess-", ++sessionsStarted, 6);
        session.pagesLeft = 1 + (int) random.exponential(MEAN_SESSION_LENGTH - 1);
        session.referrer = REFERRERS[random.weighted(REFERRER_WEIGHTS)];
        return session;
    }

    /**
     * A user with no open session (there are always some: at most one user in 20 has one), picked
     * uniformly so that every user's sessions are separated by idle gaps of the same order.
     */
    private int freeUser() {
        int candidate = random.nextInt(users.length);
        for (int tries = 0; tries < users.length && userInSession[candidate]; tries++) {
            candidate = (candidate + 1) % users.length;
        }
        return candidate;
    }
}
