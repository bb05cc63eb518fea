package it.deps;

import com.fasterxml.jackson.databind.ObjectMapper;
import it.deps.legacy.Old;
import java.util.Map;

public class Main {
    public static void main(String[] args) throws Exception {
        System.out.println(new ObjectMapper().writeValueAsString(Map.of("greeting", Old.greeting())));
    }
}
