package dev.mortar.crawler.worker;

import dev.mortar.thrift.worker.CrawlTaskService;
import org.apache.thrift.TException;

/**
 * How a worker reaches the task service: over the worker port ({@link WorkerConnection}) from another process,
 * or bound directly to the server's own implementation by the server's embedded workers. Both speak the same
 * protocol ({@code CrawlTaskService} of thrift-idl), so a run behaves the same either way.
 */
public interface TaskService extends AutoCloseable {
    @FunctionalInterface
    interface Call<T> {
        T call(CrawlTaskService.Iface service) throws TException;
    }

    <T> T call(Call<T> call) throws TException;

    @Override
    default void close() {}

    /** The server's own task service, called in this process. */
    static TaskService direct(CrawlTaskService.Iface service) {
        return new TaskService() {
            @Override
            public <T> T call(Call<T> call) throws TException {
                return call.call(service);
            }
        };
    }
}
