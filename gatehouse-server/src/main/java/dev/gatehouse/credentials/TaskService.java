package dev.gatehouse.credentials;

import java.util.List;

/** Tasks: listed, inspected, and completed (which revokes every token of the task). */
public interface TaskService {
    Task get(String id);

    List<Task> list(TaskQuery query);

    Task complete(String id, String reason, String actor);
}
