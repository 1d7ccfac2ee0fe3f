package io.streamingworkshop.stateful;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Objects;

/**
 * An order that was not shipped in time (exercise 5.9). A JavaBean, not a record: Spark's bean
 * encoder needs getters and setters.
 */
public class ShipmentAlert implements Serializable {

    private static final long serialVersionUID = 1L;

    private String orderId;
    private Timestamp orderTime;
    private Timestamp deadline;

    public ShipmentAlert() {}

    public ShipmentAlert(String orderId, Timestamp orderTime, Timestamp deadline) {
        this.orderId = orderId;
        this.orderTime = orderTime;
        this.deadline = deadline;
    }

    public String getOrderId() {
        return orderId;
    }

    public void setOrderId(String orderId) {
        this.orderId = orderId;
    }

    public Timestamp getOrderTime() {
        return orderTime;
    }

    public void setOrderTime(Timestamp orderTime) {
        this.orderTime = orderTime;
    }

    public Timestamp getDeadline() {
        return deadline;
    }

    public void setDeadline(Timestamp deadline) {
        this.deadline = deadline;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShipmentAlert that
                && Objects.equals(orderId, that.orderId)
                && Objects.equals(orderTime, that.orderTime)
                && Objects.equals(deadline, that.deadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orderId, orderTime, deadline);
    }

    @Override
    public String toString() {
        return "ShipmentAlert[" + orderId + ", ordered " + orderTime + ", deadline " + deadline + "]";
    }
}
