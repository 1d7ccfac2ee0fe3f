package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatasetKind;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.EnumSet;
import java.util.Set;

/**
 * On an option field: the datasets the option means something for. Given for another dataset, the
 * option is refused rather than silently ignored. Options without it apply to every dataset.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface OnlyFor {

    Datasets value();

    enum Datasets {
        WITH_EVENTS(EnumSet.of(DatasetKind.IOT, DatasetKind.CLICKSTREAM, DatasetKind.ORDERS, DatasetKind.TRANSACTIONS)),
        IOT(EnumSet.of(DatasetKind.IOT)),
        WITH_USERS(
                EnumSet.of(DatasetKind.CLICKSTREAM, DatasetKind.ORDERS, DatasetKind.TRANSACTIONS, DatasetKind.USERS)),
        WITH_PRODUCTS(EnumSet.of(
                DatasetKind.CLICKSTREAM, DatasetKind.ORDERS, DatasetKind.TRANSACTIONS, DatasetKind.PRODUCTS)),
        ORDERS(EnumSet.of(DatasetKind.ORDERS));

        private final Set<DatasetKind> datasets;

        Datasets(Set<DatasetKind> datasets) {
            this.datasets = datasets;
        }

        boolean includes(DatasetKind dataset) {
            return datasets.contains(dataset);
        }
    }
}
